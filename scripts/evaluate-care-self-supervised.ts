/**
 * `node -r ts-node/register/transpile-only scripts/evaluate-care-self-supervised.ts [--steps-per-epoch N ...]`:
 * Noise2Void on a real EMCCD time-lapse without clean images (../shared/data/fluorescence/
 * focal-adhesions-evolve-488.tif, 23 frames): trains on frames 0–15, then scores raw, tuned Gaussian and median
 * filters and the N2V model on the held-out frames 16–22 by the cross-frame measure (restored frame t against raw
 * frame t+1; see src/models/care/evaluation/cross-frame.ts for why it ranks denoisers by their true error).
 * `--variant n2v2` (default) trains N2V2 (blur-pool, no top-level skip, median replacement; structN2V's mask if
 * the noise check asks for it), `--variant plain` Noise2Void as first published. `--uncertainty no` leaves out the
 * Laplace head (it does not change the restored image; it costs a fifth more training).
 * Prints JSON lines; with --out, writes the model folder. Besides the cross-frame MSE each line has the Pearson
 * correlation of the restored frame t with raw frame t+1, mean over the held-out pairs (higher is better).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { PLAIN_N2V_CONFIG, SELF_SUPERVISED_CARE_CONFIG } from '../src/models/care/care-config';
import { gaussianFilter } from '../src/models/care/evaluation/classical-filters';
import { DEFAULT_BLIND_SPOT, PLAIN_N2V_BLIND_SPOT } from '../src/models/care/training/blind-spot';
import { CareRestorer } from '../src/models/care/care-restorer';
import { careDescription } from '../src/models/care/care-package';
import { crossFrameScores } from '../src/models/care/evaluation/cross-frame';
import { trainNoise2Void, type RawImage } from '../src/models/care/training/train-care';
import { storageStackIo } from '../src/models/io/storage-stack-io';
import { parseOptions } from '../src/cli/options';
import { runScript } from '../src/cli/run-script';
import { TextProgress } from '../src/cli/text-progress';
import { TfjsRuntime } from '../src/models/runtime/tfjs-runtime';
import { writeModelFolder } from '../src/models/store/model-folder';

export const FOCAL_ADHESIONS = resolve(__dirname, '..', '..', 'shared', 'data', 'fluorescence', 'focal-adhesions-evolve-488.tif');

const argsSchema = z.object({
  seed: z.coerce.number().int().nonnegative().default(7),
  epochs: z.coerce.number().int().positive().default(10),
  stepsPerEpoch: z.coerce.number().int().positive().default(25),
  patchesPerImage: z.coerce.number().int().positive().default(32),
  patchPx: z.coerce.number().int().positive().default(64),
  batch: z.coerce.number().int().positive().default(16),
  trainFrames: z.coerce.number().int().positive().default(16),
  variant: z.enum(['n2v2', 'plain']).default('n2v2'),
  uncertainty: z.enum(['yes', 'no']).default('yes'),
  out: z.string().optional(),
});

const USAGE = 'npm run evaluate:care -- [options]   (Noise2Void on the focal-adhesion stack, scored across frames)';

async function readFrames(path: string): Promise<RawImage[]> {
  const stack = await storageStackIo.openStack(path);
  const frames: RawImage[] = [];
  for (let i = 0; i < stack.planeCount; i++)
    frames.push({ pixels: Float32Array.from(await stack.readPlane(i)), widthPx: stack.widthPx, heightPx: stack.heightPx });
  await stack.close();
  return frames;
}

/** Pearson correlation of output t with raw frame t+1, averaged over consecutive pairs. */
function meanNextFrameCorrelation(outputs: ReadonlyArray<ArrayLike<number>>, frames: readonly RawImage[]): number {
  let sum = 0;
  for (let t = 0; t + 1 < frames.length; t++) {
    const a = outputs[t];
    const b = frames[t + 1].pixels;
    let ma = 0;
    let mb = 0;
    for (let i = 0; i < b.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= b.length;
    mb /= b.length;
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < b.length; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) ** 2;
      bb += (b[i] - mb) ** 2;
    }
    sum += ab / Math.sqrt(aa * bb || 1);
  }
  return sum / (frames.length - 1);
}

async function main(): Promise<void> {
  const { options: args } = parseOptions(process.argv.slice(2), argsSchema, USAGE);
  const frames = await readFrames(FOCAL_ADHESIONS);
  const training = frames.slice(0, args.trainFrames);
  const heldOut = frames.slice(args.trainFrames);
  const base = args.variant === 'n2v2' ? SELF_SUPERVISED_CARE_CONFIG : PLAIN_N2V_CONFIG;
  const architecture = { ...base, probabilistic: args.uncertainty === 'yes' };
  const blindSpot = args.variant === 'n2v2' ? DEFAULT_BLIND_SPOT : PLAIN_N2V_BLIND_SPOT;
  let bar: TextProgress | undefined;
  const result = await trainNoise2Void(training, {
    architecture,
    seed: args.seed,
    patchPx: args.patchPx,
    patchesPerImage: args.patchesPerImage,
    validationFraction: 0.1,
    batchSize: args.batch,
    epochs: args.epochs,
    stepsPerEpoch: args.stepsPerEpoch,
    learningRate: 1e-3,
    blindSpot,
    onProgress: (p) => {
      bar ??= new TextProgress('train n2v', p.stepsTotal);
      bar.update(p.stepsDone, `${p.phase} loss ${p.loss.toFixed(4)} val ${p.validationLoss.toFixed(4)}`);
    },
  });
  bar?.finish(
    `masked validation loss ${result.history.initialValidationLoss.toFixed(4)} → ${result.history.bestValidationLoss.toFixed(4)}`,
  );
  const runtime = new TfjsRuntime(result.model);
  const restorer = new CareRestorer(runtime, architecture, { lowPercent: 1, highPercent: 99.8 });
  const restored: Float32Array[] = [];
  const rows = await crossFrameScores(heldOut, {
    [args.variant]: async (f) => {
      const out = (await restorer.restore(f.pixels, f.widthPx, f.heightPx)).restored;
      restored.push(Float32Array.from(out));
      return out;
    },
  });
  const round = (v: number, d = 4) => Number(v.toFixed(d));
  const sigmaOf = (setting?: string) => Number(/sigma ([\d.]+)/.exec(setting ?? '')?.[1]);
  for (const row of rows) {
    const outputs =
      row.method === 'raw'
        ? heldOut.map((f) => f.pixels)
        : row.method === 'gaussian'
          ? heldOut.map((f) => gaussianFilter(f.pixels, f.widthPx, f.heightPx, sigmaOf(row.setting)))
          : row.method === args.variant
            ? restored
            : undefined;
    const correlation = outputs ? round(meanNextFrameCorrelation(outputs, heldOut)) : undefined;
    process.stdout.write(
      `${JSON.stringify({ table: 'n2v-real-cross-frame', data: `focal-adhesions-evolve-488 frames ${args.trainFrames}-${frames.length - 1} (held out)`, method: row.method, setting: row.setting, crossFrameMse: round(row.crossFrameMse, 6), crossFramePsnrDb: round(row.crossFramePsnrDb, 2), relativeToRaw: round(row.relativeToRaw), nextFrameCorrelation: correlation, ...(row.method === args.variant ? { structMask: result.blindSpot?.structMask, replacement: result.blindSpot?.replacement, trainSeconds: round(result.history.seconds, 1) } : {}) })}\n`,
    );
  }
  if (args.out) {
    await writeModelFolder(
      args.out,
      result.model,
      careDescription({
        name: 'Noise2Void, focal adhesions (EMCCD)',
        description: 'Noise2Void denoiser trained self-supervised on a real noisy time-lapse, by scripts/evaluate-care-self-supervised.ts.',
        architecture,
        training: {
          mode: 'self-supervised',
          loss: result.loss,
          epochs: args.epochs,
          stepsPerEpoch: args.stepsPerEpoch,
          seed: args.seed,
          backend: result.backend.backend,
        },
        trainingData: {
          name: 'focal-adhesions-evolve-488',
          description: `frames 0–${args.trainFrames - 1} of a 23-frame 512² EMCCD time-lapse (ZeroCostDL4Mic, MIT)`,
        },
        evaluation: [
          {
            data: `frames ${args.trainFrames}–${frames.length - 1}, cross-frame measure`,
            metrics: rows.map((r) => ({
              method: r.method,
              cross_frame_mse: round(r.crossFrameMse, 6),
              relative_to_raw: round(r.relativeToRaw),
            })),
          },
        ],
      }),
    );
  }
  await runtime.dispose();
}

runScript('evaluate-care-self-supervised', main);
