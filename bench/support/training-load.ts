/**
 * A Noise2Void training that runs until killed: the load of bench/care-training.ts's acquisition-while-training
 * case, in a worker thread of the acquisition's own process at the lowest thread priority, as the service's
 * training jobs run, waiting between steps while the TrainingPause flag in workerData is set. Posts `ready` once
 * the first steps are done, and its step count on every step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { waitWhilePaused } from '../../src/models/care/jobs/training-pause';
import { initTfjsBackend } from '../../src/models/runtime/tfjs-backend';
import { lowerThisThreadPriority } from '../../src/models/runtime/thread-priority';
import { SELF_SUPERVISED_CARE_CONFIG } from '../../src/models/care/care-config';
import { SeededRandom } from '../../src/models/care/training/seeded-random';
import { trainNoise2Void } from '../../src/models/care/training/train-care';

async function main(): Promise<void> {
  const priority = lowerThisThreadPriority();
  await initTfjsBackend();
  const size = 256;
  const random = new SeededRandom(1);
  const frames = Array.from({ length: 4 }, () => ({
    pixels: Float32Array.from({ length: size * size }, () => 100 + 20 * random.next()),
    widthPx: size,
    heightPx: size,
  }));
  const beforeStep = waitWhilePaused((workerData as { pause: SharedArrayBuffer }).pause);
  let announced = false;
  let steps = 0;
  for (;;) {
    await trainNoise2Void(frames, {
      architecture: { ...SELF_SUPERVISED_CARE_CONFIG, probabilistic: false },
      seed: 1,
      patchPx: 64,
      patchesPerImage: 16,
      validationFraction: 0.25,
      batchSize: 16,
      epochs: 1000,
      stepsPerEpoch: 10,
      learningRate: 1e-3,
      beforeStep,
      onProgress: (p) => {
        parentPort?.postMessage({ steps: ++steps });
        if (!announced && p.stepsDone >= 2) {
          announced = true;
          parentPort?.postMessage({ ready: true, priority });
        }
      },
    }).then((r) => r.model.dispose());
  }
}

main().catch((err: unknown) => {
  parentPort?.postMessage({ error: `training load failed: ${(err as Error).stack ?? String(err)}` });
});
