import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { buildCareNetwork } from '../care-network';
import { TINY_CARE_CONFIG } from '../testing/tiny-care';
import { SeededRandom } from './seeded-random';
import { trainLoop, TrainingCancelledError, type TrainingBatch, type TrainLoopCheckpoint } from './train-loop';

const NON_PROBABILISTIC = { ...TINY_CARE_CONFIG, probabilistic: false };

function batchOf(seed: number): TrainingBatch {
  const random = new SeededRandom(seed);
  const count = 4;
  const sizePx = 16;
  const y = Float32Array.from({ length: count * sizePx * sizePx }, (_, i) => (Math.floor(i / 7) % 3 === 0 ? 0.8 : 0.1));
  const x = y.map((v) => v + 0.3 * (random.next() - 0.5));
  return { count, sizePx, x, y };
}

const options = (batches: TrainingBatch[]) => {
  let next = 0;
  return { epochs: 4, stepsPerEpoch: 3, learningRate: 3e-3, loss: 'mae' as const, nextBatch: () => batches[next++ % batches.length], validation: [batchOf(99)] };
};

describe('train loop checkpoints, cancel and resume', () => {
  beforeAll(async () => {
    await initTfjsBackend();
  });

  it('checkpoints every epoch and, resumed from epoch 2, runs epochs 3–4 only, starting from the saved weights and rate', async () => {
    const batches = [1, 2, 3].map(batchOf);
    const checkpoints: TrainLoopCheckpoint[] = [];
    const first = buildCareNetwork(NON_PROBABILISTIC, 7);
    await trainLoop(first, { ...options(batches), onCheckpoint: (c) => void checkpoints.push(c) });
    first.dispose();
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
    expect(checkpoints[1].history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(checkpoints[1].steps).toBe(6);

    const resumed = buildCareNetwork(NON_PROBABILISTIC, 123);
    const progressEpochs = new Set<number>();
    const before = tf.memory().numTensors;
    const history = await trainLoop(resumed, { ...options(batches), resumeFrom: checkpoints[1], onProgress: (p) => progressEpochs.add(p.epoch) });
    expect([...progressEpochs]).toEqual([3, 4]);
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(history.steps).toBe(12);
    expect(history.initialValidationLoss).toBe(checkpoints[1].initialValidationLoss);
    expect(history.bestValidationLoss).toBeLessThanOrEqual(checkpoints[1].bestValidationLoss);
    expect(tf.memory().numTensors).toBe(before);
    resumed.dispose();
  }, 60_000);

  it('starts from the checkpoint weights, not its own initial ones', async () => {
    const batches = [batchOf(4)];
    let saved: TrainLoopCheckpoint | undefined;
    const trained = buildCareNetwork(NON_PROBABILISTIC, 7);
    await trainLoop(trained, { ...options(batches), epochs: 2, onCheckpoint: (c) => void (saved = c) });
    const fresh = buildCareNetwork(NON_PROBABILISTIC, 8);
    // epochs equal to the checkpoint's: nothing left to train, the weights are the checkpoint's best ones
    await trainLoop(fresh, { ...options(batches), epochs: 2, resumeFrom: saved });
    const a = trained.getWeights().map((w) => Array.from(w.dataSync()));
    const b = fresh.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b).toEqual(a);
    trained.dispose();
    fresh.dispose();
  }, 60_000);

  it('stops between steps when its signal is aborted, rejecting with TrainingCancelledError', async () => {
    const controller = new AbortController();
    const model = buildCareNetwork(NON_PROBABILISTIC, 7);
    const steps: number[] = [];
    const run = trainLoop(model, {
      ...options([batchOf(1)]),
      signal: controller.signal,
      onProgress: (p) => {
        steps.push(p.step);
        if (steps.length === 4) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(steps).toHaveLength(4);
    model.dispose();
  }, 60_000);
});
