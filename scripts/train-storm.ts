/**
 * `npm run train:storm [-- --out <dir> --steps N --width-scale S | --filters a,b,c,d,e,f,g --seed N --patch-px N
 * --batch N --learning-rate R --final-learning-rate R --backend auto|wasm|cpu]`: trains Deep-STORM on simulated
 * blinking movies (seeded: the same arguments give the same model), chooses its localisation settings on held-out
 * simulations, and writes the model folder (rdf.yaml, tfjs weights, ONNX graph). Defaults reproduce the shipped
 * models/deep-storm-default (width ×0.25); `--width-scale 1` trains the paper's 1.37 M-parameter network.
 */
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { PAPER_ARCHITECTURE, scaledArchitecture } from '../src/models/smlm/deep-storm/architecture';
import { registerBroadcastingBatchNormGradient } from '../src/models/smlm/deep-storm/batch-norm-gradient';
import { DEFAULT_DEEP_STORM_MODEL } from '../src/models/smlm/deep-storm/load-deep-storm';
import { initTfjsBackend } from '../src/models/runtime/tfjs-backend';
import { SHIPPED_MODELS_DIR } from '../src/models/store/model-store';
import { trainDeepStorm } from '../src/models/smlm/deep-storm/train';
import { parseOptions } from '../src/cli/options';
import { runScript } from '../src/cli/run-script';
import { StormPatchSource, TRAINING_PIXEL_NM } from './storm-training-data';
import { calibrateLocalisation } from './storm-validation';
import { writeStormPackage } from './storm-package';

const argsSchema = z.object({
  out: z.string().default(join(SHIPPED_MODELS_DIR, DEFAULT_DEEP_STORM_MODEL)),
  steps: z.coerce.number().int().positive().default(500),
  widthScale: z.coerce.number().positive().max(1).default(0.25),
  /** Explicit filters of the seven stages, comma-separated; overrides --width-scale. */
  filters: z
    .string()
    .regex(/^\d+(,\d+){6}$/)
    .transform((s) => s.split(',').map(Number) as [number, number, number, number, number, number, number])
    .optional(),
  learningRate: z.coerce.number().positive().default(3e-3),
  finalLearningRate: z.coerce.number().positive().default(1e-4),
  seed: z.coerce.number().int().nonnegative().default(2018),
  patchPx: z.coerce.number().int().positive().default(16),
  batch: z.coerce.number().int().positive().default(16),
  backend: z.enum(['auto', 'wasm', 'cpu']).default('auto'),
});

const USAGE = 'npm run train:storm -- [options]   (retrains the shipped Deep-STORM model on simulated emitters)';

async function main(): Promise<void> {
  const { options: args } = parseOptions(process.argv.slice(2), argsSchema, USAGE);
  registerBroadcastingBatchNormGradient();
  const backend = (await initTfjsBackend(args.backend)).backend;
  const architecture = args.filters
    ? { filters: args.filters, kernelSize: PAPER_ARCHITECTURE.kernelSize }
    : args.widthScale === 1
      ? PAPER_ARCHITECTURE
      : scaledArchitecture(args.widthScale);
  const upsampling = 8;
  const source = new StormPatchSource(args.seed, args.patchPx, upsampling);
  const normalization = source.normalization();
  process.stderr.write(
    `train-storm: ${backend}, filters ${architecture.filters.join('-')}, ${args.steps} steps of ${args.batch}×${args.patchPx * upsampling}², normalisation ${JSON.stringify(normalization)}\n`,
  );
  const started = Date.now();
  let smoothed = NaN;
  const { model, losses } = await trainDeepStorm(() => source.batch(args.batch, normalization), {
    architecture,
    steps: args.steps,
    seed: args.seed,
    learningRate: args.learningRate,
    finalLearningRate: args.finalLearningRate,
    onStep: (step, loss, lr) => {
      smoothed = Number.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
      if (step % 25 === 0 || step === args.steps - 1) {
        const elapsedS = (Date.now() - started) / 1000;
        process.stderr.write(
          `step ${step + 1}/${args.steps} loss ${smoothed.toFixed(3)} lr ${lr.toExponential(2)} ${elapsedS.toFixed(0)} s\n`,
        );
      }
    },
  });
  const trainingSeconds = (Date.now() - started) / 1000;
  const calibration = await calibrateLocalisation(model, normalization, upsampling, args.seed + 1);
  process.stderr.write(
    `localisation threshold ${calibration.threshold}, radius ${calibration.radiusPx}: ${JSON.stringify(calibration.scores)}\n`,
  );
  const out = resolve(args.out);
  await writeStormPackage(out, basename(out), model, {
    architecture: { filters: [...architecture.filters], kernelSize: architecture.kernelSize },
    upsampling,
    normalization,
    localisation: { threshold: calibration.threshold, radiusPx: calibration.radiusPx },
    trainingPixelSizeNm: TRAINING_PIXEL_NM,
    training: {
      seed: args.seed,
      steps: losses.length,
      batch: args.batch,
      patchPx: args.patchPx * upsampling,
      filters: architecture.filters.join('-'),
      learningRate: args.learningRate,
      backend,
      seconds: Math.round(trainingSeconds),
      finalLoss: losses.slice(-25).reduce((a, b) => a + b, 0) / Math.min(25, losses.length),
      validation: calibration.scores,
    },
  });
  process.stderr.write(`train-storm: wrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

runScript('train-storm', main);
