/**
 * `node -r ts-node/register/transpile-only scripts/calibrate-care-package.ts <model folder> [options]`: adds to a
 * CARE package trained by `npm run train:care` (wide data) its training-data fingerprint (the input check's
 * figures on the very training inputs, regenerated from the seed) and its PSNR calibration (fitted on held-out
 * simulated pairs, checked on others), and rewrites its rdf.yaml. JSON lines on stdout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { loadCareModel, type CareModel } from '../src/models/care/care-model';
import { restorationMetrics } from '../src/models/care/evaluation/image-metrics';
import { fingerprintOf, measureInput } from '../src/models/care/input-check';
import { percentileRange } from '../src/models/care/normalization';
import { calibrationErrors, fitCalibration, inputPsnrDb, type CalibrationSample } from '../src/models/care/quality-calibration';
import { parseOptions } from '../src/cli/options';
import { runScript } from '../src/cli/run-script';
import { RDF_FILE } from '../src/models/store/rdf';
import {
  describeWideSimulation,
  simulateCarePairs,
  simulateWideCarePairs,
  TEST_DOSE_RATIOS,
  TEST_HIGH_DOSE_MS,
  WIDE_RANGE,
  type SimulatedCarePair,
} from './care-training-data';

const argsSchema = z.object({
  trainSeed: z.coerce.number().int().nonnegative().default(2018),
  trainImages: z.coerce.number().int().positive().default(48),
  /** train:care's --low-photon-share of the training run (0 for the first recipe). */
  lowPhotonShare: z.coerce.number().min(0).max(1).default(0),
  sizePx: z.coerce.number().int().positive().default(256),
  calibrationSeed: z.coerce.number().int().nonnegative().default(77_001),
  calibrationImages: z.coerce.number().int().positive().default(32),
  heldOutSeed: z.coerce.number().int().nonnegative().default(88_001),
  heldOutImages: z.coerce.number().int().positive().default(16),
  /** What the model was trained on: train:care's wide data, or the specimen's own doses (the P11 default). */
  data: z.enum(['wide', 'dose']).default('wide'),
});
const USAGE =
  'calibrate-care-package.ts <model folder> [--train-seed N] [--train-images N] [--low-photon-share f] [--calibration-images N] [--held-out-images N]';

const round = (v: number, digits = 3) => Number(v.toPrecision(digits));

async function samples(model: CareModel, pairs: readonly SimulatedCarePair[]): Promise<CalibrationSample[]> {
  const out: CalibrationSample[] = [];
  for (const p of pairs) {
    const { pixels, widthPx, heightPx } = p.source;
    const r = await model.restore(pixels, widthPx, heightPx);
    const statistics = measureInput(pixels, widthPx, heightPx, percentileRange(pixels, model.scope.normalization));
    out.push({
      predictedPsnrDb: r.quality.uncalibratedPsnrDb,
      inputPsnrDb: inputPsnrDb(statistics.normalizedNoise),
      peakPhotons: statistics.peakPhotons,
      measuredPsnrDb: restorationMetrics(r.restored, p.groundTruth.pixels, widthPx, heightPx).psnrDb,
    });
  }
  return out;
}

async function main(): Promise<void> {
  const { positional, options: args } = parseOptions(process.argv.slice(2), argsSchema, USAGE);
  const dir = resolve(positional[0] ?? 'models/care-default');
  const training = { seed: args.trainSeed, count: args.trainImages, sizePx: args.sizePx, lowPhotonShare: args.lowPhotonShare };
  const trainingPairs =
    args.data === 'wide'
      ? simulateWideCarePairs(training)
      : simulateCarePairs({ ...training, doseRatios: TEST_DOSE_RATIOS, highDoseExposureMs: TEST_HIGH_DOSE_MS });
  const measuredInputs = trainingPairs.map((p) =>
    measureInput(p.source.pixels, p.source.widthPx, p.source.heightPx, percentileRange(p.source.pixels)),
  );
  const doseGenerated = {
    numericalAperture: [0.9, 1.4] as [number, number],
    defocusUm: [-0.6, 0.6] as [number, number],
    pixelSizeUm: [0.1, 0.3] as [number, number],
    offsetAdu: 100,
    gainAduPerElectron: [0.5, 2] as [number, number],
    readNoiseElectrons: [1, 3] as [number, number],
    emGain: 1,
    emissionWavelengthNm: 520,
    doses: `1/${TEST_DOSE_RATIOS.join(', 1/')} of ${TEST_HIGH_DOSE_MS} ms at 10 mW`,
  };
  const fingerprint = fingerprintOf(
    measuredInputs,
    args.data === 'dose'
      ? doseGenerated
      : {
          peakPhotons: [...WIDE_RANGE.peakPhotons],
          backgroundPerPeak: [...WIDE_RANGE.backgroundPerPeak],
          numericalAperture: [...WIDE_RANGE.numericalAperture],
          pixelSizeUm: [...WIDE_RANGE.pixelSizeUm],
          offsetAdu: [...WIDE_RANGE.offsetAdu],
          gainAduPerElectron: [...WIDE_RANGE.gainAduPerElectron],
          readNoiseElectrons: [...WIDE_RANGE.readNoiseElectrons],
          emGain: [...WIDE_RANGE.emGain],
          emissionWavelengthNm: WIDE_RANGE.emissionWavelengthNm,
        },
  );
  process.stdout.write(`${JSON.stringify({ table: 'fingerprint', ...fingerprint.measured })}\n`);

  const model = await loadCareModel(dir);
  const calibrationData = { seed: args.calibrationSeed, count: args.calibrationImages, sizePx: args.sizePx };
  const heldOutData = { seed: args.heldOutSeed, count: args.heldOutImages, sizePx: args.sizePx };
  const fitted = await samples(model, simulateWideCarePairs(calibrationData));
  const heldOut = await samples(model, simulateWideCarePairs(heldOutData));
  await model.dispose();
  const calibration = fitCalibration(fitted, `${fitted.length} held-out simulated pairs (${describeWideSimulation(calibrationData)})`);
  const errors = calibrationErrors(calibration, heldOut);
  const mean = (s: CalibrationSample[], f: (c: CalibrationSample) => number) => s.reduce((t, c) => t + f(c), 0) / s.length;
  const summary = {
    pairs: heldOut.length,
    meanAbsErrorBeforeDb: round(errors.meanAbsErrorBeforeDb),
    meanAbsErrorAfterDb: round(errors.meanAbsErrorAfterDb),
    meanPredictedBeforeDb: round(mean(heldOut, (c) => c.predictedPsnrDb)),
    meanMeasuredDb: round(mean(heldOut, (c) => c.measuredPsnrDb)),
  };
  process.stdout.write(
    `${JSON.stringify({ table: 'psnr-calibration', coefficients: calibration.coefficients.map((c) => round(c, 4)), ...summary })}\n`,
  );

  const path = join(dir, RDF_FILE);
  const text = readFileSync(path, 'utf8');
  const header = text.startsWith('#') ? `${text.slice(0, text.indexOf('\n'))}\n` : '';
  const rdf = parse(text) as { config: { scope: Record<string, unknown> } };
  rdf.config.scope.trainingFingerprint = fingerprint;
  rdf.config.scope.qualityCalibration = {
    ...calibration,
    coefficients: calibration.coefficients.map((c) => Number(c.toPrecision(8))),
    heldOut: { ...summary, data: `${heldOut.length} other held-out simulated pairs, seed ${args.heldOutSeed}` },
  };
  writeFileSync(path, `${header}${stringify(rdf, { lineWidth: 110 })}`);
  process.stderr.write(`calibrate-care-package: wrote ${path}\n`);
}

runScript('calibrate-care-package', main);
