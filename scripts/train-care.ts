/**
 * `npm run train:care [-- --out <dir> --seed N --epochs N --steps-per-epoch N ...]`: trains the shipped CARE model
 * on simulated low/high-dose pairs (seeded, reproducible on the same backend), evaluates it on held-out simulated
 * fields against ground truth (raw, Gaussian, median, CARE; NRMSE, PSNR, SSIM; predicted vs measured PSNR), and
 * writes the model folder (tfjs weights, rdf.yaml with the metrics and the data description). Prints the
 * accuracy table as JSON lines on stdout; progress on stderr. The shipped folder then gets its training fingerprint
 * and PSNR calibration from scripts/calibrate-care-package.ts (--train-images as --images here) and its test
 * tensors from src/models/store/testing/write-test-tensors.ts (models/care-default 96). The defaults are the
 * shipped model's recipe (wide data, 48 fields, 40 epochs: 1607 s on 2 shared cores).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { SHIPPED_CARE_CONFIG } from '../src/models/care/care-config';
import { CareRestorer } from '../src/models/care/care-restorer';
import { careDescription } from '../src/models/care/care-package';
import { compareDenoisers, type MethodScore } from '../src/models/care/evaluation/compare-denoisers';
import { restorationMetrics } from '../src/models/care/evaluation/image-metrics';
import { trainCareSupervised } from '../src/models/care/training/train-care';
import { parseOptions } from '../src/cli/options';
import { runScript } from '../src/cli/run-script';
import { TextProgress } from '../src/cli/text-progress';
import { TfjsRuntime } from '../src/models/runtime/tfjs-runtime';
import { initTfjsBackend } from '../src/models/runtime/tfjs-backend';
import { loadTfjsLayersModel, openModelFolder, writeModelFolder } from '../src/models/store/model-folder';
import { OnnxRuntime } from '../src/models/runtime/onnx-runtime';
import { tfjsToOnnx } from '../src/models/runtime/onnx/tfjs-to-onnx';
import { SHIPPED_MODELS_DIR } from '../src/models/store/model-store';
import {
  describeSimulation,
  describeWideSimulation,
  simulateCarePairs,
  simulateWideCarePairs,
  TEST_DOSE_RATIOS,
  TEST_HIGH_DOSE_MS,
  type SimulationOptions,
} from './care-training-data';

const argsSchema = z.object({
  out: z.string().default(resolve(SHIPPED_MODELS_DIR, 'care-default')),
  seed: z.coerce.number().int().nonnegative().default(2018),
  images: z.coerce.number().int().positive().default(48),
  sizePx: z.coerce.number().int().positive().default(256),
  testImages: z.coerce.number().int().positive().default(6),
  patchPx: z.coerce.number().int().positive().default(64),
  patchesPerImage: z.coerce.number().int().positive().default(64),
  batch: z.coerce.number().int().positive().default(16),
  epochs: z.coerce.number().int().positive().default(40),
  stepsPerEpoch: z.coerce.number().int().positive().default(40),
  learningRate: z.coerce.number().positive().default(2e-3),
  calibrationEpochs: z.coerce.number().int().positive().default(6),
  doseRatios: z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .default(TEST_DOSE_RATIOS.join(',')),
  highDoseMs: z.coerce.number().positive().default(TEST_HIGH_DOSE_MS),
  residual: z.enum(['yes', 'no']).default('yes'),
  loss: z.enum(['mae', 'mse']).default('mae'),
  /** wide: 3–500 photons, PSF widths, cameras, EMCCDs (the shipped default); dose: the specimen's own doses (--dose-ratios). */
  data: z.enum(['wide', 'dose']).default('wide'),
  /** wide data: share of the fields at LOW_PHOTON_PEAKS (3–50 photons). */
  lowPhotonShare: z.coerce.number().min(0).max(1).default(0),
  /** Fine-tune: start from this model folder (same architecture) instead of fresh weights. */
  init: z.string().optional(),
});

const USAGE = 'npm run train:care -- [options]   (retrains the shipped CARE model on simulated pairs)';

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

async function main(): Promise<void> {
  const { options: args } = parseOptions(process.argv.slice(2), argsSchema, USAGE);
  const doseRatios = args.doseRatios.split(',').map(Number);
  const highDoseExposureMs = args.highDoseMs;
  const trainingData: SimulationOptions = {
    seed: args.seed,
    count: args.images,
    sizePx: args.sizePx,
    doseRatios,
    highDoseExposureMs,
    lowPhotonShare: args.lowPhotonShare,
  };
  const testData: SimulationOptions = {
    seed: args.seed + 7919,
    count: args.testImages,
    sizePx: args.sizePx,
    doseRatios,
    highDoseExposureMs,
  };
  let started = Date.now();
  const wide = args.data === 'wide';
  const pairs = wide ? simulateWideCarePairs(trainingData) : simulateCarePairs(trainingData);
  const test = wide ? simulateWideCarePairs(testData) : simulateCarePairs(testData);
  const describe = (o: SimulationOptions) => (wide ? describeWideSimulation(o) : describeSimulation(o));
  process.stderr.write(
    `train-care: simulated ${pairs.length} training and ${test.length} test pairs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const architecture = { ...SHIPPED_CARE_CONFIG, residual: args.residual === 'yes' };
  const initial = args.init ? await fineTuneStart(args.init) : undefined;
  let bar: TextProgress | undefined;
  started = Date.now();
  const result = await trainCareSupervised(pairs, {
    architecture,
    seed: args.seed,
    patchPx: args.patchPx,
    patchesPerImage: args.patchesPerImage,
    validationFraction: 0.1,
    batchSize: args.batch,
    epochs: args.epochs,
    stepsPerEpoch: args.stepsPerEpoch,
    learningRate: args.learningRate,
    loss: args.loss,
    calibrationEpochs: args.calibrationEpochs,
    initialModel: initial?.model,
    onProgress: (p) => {
      bar ??= new TextProgress('train care', p.stepsTotal);
      bar.update(p.stepsDone, `${p.phase} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} val ${p.validationLoss.toFixed(4)}`);
    },
  });
  bar?.finish(
    `best validation loss ${result.history.bestValidationLoss.toFixed(4)} at epoch ${result.history.bestEpoch} (initial ${result.history.initialValidationLoss.toFixed(4)})`,
  );
  process.stderr.write(`train-care: backend ${result.backend.backend} (${result.backend.training.gradients})\n`);

  const runtime = new TfjsRuntime(result.model);
  const restorer = new CareRestorer(runtime, architecture, { lowPercent: 1, highPercent: 99.8 });
  const restored = new Map<object, Awaited<ReturnType<CareRestorer['restore']>>>();
  const restore = async (p: { raw: ArrayLike<number>; widthPx: number; heightPx: number }) => {
    const r = await restorer.restore(p.raw, p.widthPx, p.heightPx);
    restored.set(p, r);
    return r.restored;
  };
  const testPairs = test.map((t) => ({
    raw: t.source.pixels,
    groundTruth: t.groundTruth.pixels,
    widthPx: t.source.widthPx,
    heightPx: t.source.heightPx,
  }));
  const rows: MethodScore[] = await compareDenoisers(testPairs, { care: restore });
  const predictedPsnr = [...restored.values()].reduce((s, r) => s + r.quality.predictedPsnrDb, 0) / restored.size;
  const measuredPsnr =
    testPairs.reduce((s, p) => s + restorationMetrics(restored.get(p)!.restored, p.groundTruth, p.widthPx, p.heightPx).psnrDb, 0) /
    testPairs.length;
  for (const row of rows) {
    process.stdout.write(
      `${JSON.stringify({ table: 'care-simulated-test', method: row.method, setting: row.setting, nrmse: round(row.nrmse), psnrDb: round(row.psnrDb, 2), ssim: round(row.ssim) })}\n`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({ table: 'care-uncertainty-calibration', predictedPsnrDb: round(predictedPsnr, 2), measuredPsnrDb: round(measuredPsnr, 2) })}\n`,
  );

  const testDescription = `${test.length} held-out simulated fields (${describe(testData)}); ground truth: the noise-free expected image of the low-dose frame`;
  const description = careDescription({
    name: 'CARE denoising, simulated widefield (small)',
    description:
      "CSBDeep's 2-D CARE U-Net (depth 2, 2 convolutions per level, residual) at a reduced size for CPUs: kernel 3 and 16 first-level filters " +
      "instead of CSBDeep's default 5 and 32 (83 k instead of 923 k parameters), with CSBDeep's probabilistic (Laplace) head for a per-pixel " +
      'uncertainty. Trained by `npm run train:care` on simulated low/high-dose pairs (seeded): the network on the absolute error first, then ' +
      'the Laplace scale head alone by its likelihood. Restores low-dose widefield fluorescence frames. Weights for TensorFlow.js and ONNX Runtime.',
    architecture,
    training: {
      mode: 'supervised',
      script: 'npm run train:care',
      seed: args.seed,
      ...(initial ? { fineTunedFrom: initial.description } : {}),
      backend: result.backend.backend,
      gradients: result.backend.training.gradients,
      loss: result.loss,
      optimizer: `Adam, learning rate ${args.learningRate}, halved after ${Math.max(2, Math.round(args.epochs / 10))} epochs without improvement`,
      uncertaintyPhase: result.calibration && {
        epochs: args.calibrationEpochs,
        trains: 'the laplace_scale layer alone, Laplace negative log-likelihood with the restored value held fixed, Adam 0.05',
        validationLoss: { initial: round(result.calibration.initialValidationLoss), best: round(result.calibration.bestValidationLoss) },
      },
      epochs: args.epochs,
      stepsPerEpoch: args.stepsPerEpoch,
      batch: args.batch,
      patchPx: args.patchPx,
      patches: result.patches,
      augmentation: 'random rotations by 90° and transposes (8 symmetries of the square)',
      bestEpoch: result.history.bestEpoch,
      validationLoss: { initial: round(result.history.initialValidationLoss), best: round(result.history.bestValidationLoss) },
      seconds: Math.round(result.history.seconds + (result.calibration?.seconds ?? 0)),
      ...(initial
        ? { secondsIncludingStart: Math.round(initial.seconds + result.history.seconds + (result.calibration?.seconds ?? 0)) }
        : {}),
    },
    trainingData: {
      name: 'scope-controller simulated low/high-dose pairs',
      description: describe(trainingData),
      source: 'scripts/care-training-data.ts',
    },
    evaluation: [
      {
        data: testDescription,
        metrics: rows.map((r) => ({
          method: r.method,
          ...(r.setting ? { setting: r.setting } : {}),
          nrmse: round(r.nrmse),
          psnr_db: round(r.psnrDb, 2),
          ssim: round(r.ssim),
        })),
        note: 'ground truth normalised by its 0.1/99.9 percentiles, each output affinely fitted to it (csbdeep norm_minmse); filter settings tuned on these images',
      },
      {
        data: testDescription,
        metrics: [{ predicted_psnr_db: round(predictedPsnr, 2), measured_psnr_db: round(measuredPsnr, 2) }],
        note: 'uncertainty calibration: mean predicted PSNR (from the Laplace scale) against the measured one',
      },
    ],
  });
  // The same network for ONNX Runtime (the faster inference runtime), checked against tfjs on a test frame.
  const onnx = tfjsToOnnx(result.model, 'care_unet');
  const onnxRuntime = await OnnxRuntime.create(onnx);
  const probe = Float32Array.from({ length: 128 * 128 }, (_, i) => Math.sin(i / 7) * Math.cos(i / 131));
  const [viaTfjs, viaOnnx] = [await runtime.predict(probe, [1, 128, 128, 1]), await onnxRuntime.predict(probe, [1, 128, 128, 1])];
  const onnxDifference = viaOnnx.data.reduce((m, v, i) => Math.max(m, Math.abs(v - viaTfjs.data[i])), 0);
  await onnxRuntime.dispose();
  process.stderr.write(`train-care: ONNX export differs from tfjs by at most ${onnxDifference.toExponential(2)}\n`);
  if (!(onnxDifference < 1e-4)) throw new Error(`the ONNX export differs from the tfjs model by ${onnxDifference}`);
  const folder = await writeModelFolder(args.out, result.model, description, [
    { name: 'model.onnx', bytes: Buffer.from(onnx), weights: { onnxOpset: 13 } },
  ]);
  process.stderr.write(`train-care: wrote ${folder.dir}\n`);
  await runtime.dispose();
}

/** The model to fine-tune, and what its own rdf says of how it was trained (kept in the new one's). */
async function fineTuneStart(dir: string) {
  const folder = openModelFolder(resolve(dir));
  const training = (folder.rdf.config as { scope?: { training?: Record<string, unknown> } }).scope?.training ?? {};
  await initTfjsBackend();
  const model = await loadTfjsLayersModel(folder);
  const summary = `${folder.rdf.name} (${String(folder.rdf.timestamp)}): ${String(training.epochs)} epochs × ${String(training.stepsPerEpoch)} steps, ${String(training.optimizer)}, ${String(training.seconds)} s`;
  return { model, description: summary, seconds: Number(training.secondsIncludingStart ?? training.seconds ?? 0) };
}

runScript('train-care', main);
