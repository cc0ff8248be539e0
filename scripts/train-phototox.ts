/**
 * `npm run train:phototox -- [--out-dir models/phototox-default]`: trains the phototoxicity predictor on simulated
 * runs (seeds 1–64; wavelength 405/488/561/640 nm by seed, power 2–60 %, interval 60–600 s), calibrates it (Platt
 * scaling) on runs 65–88, evaluates it on held-out runs 101–140 and writes the model folder: phototox.json with its
 * headline metrics, the same model as TensorFlow.js weights and as ONNX, rdf.yaml, test tensors made of held-out
 * feature vectors, metrics.json (ROC AUC, ECE, Brier, reliability curve; pooled, per wavelength, per run) and
 * reliability.svg. The format-1 model the folder shipped before (phototox-v1.json, seven features without
 * wavelength, region dose or dose rate) is evaluated on the same runs, and so are those seven features retrained
 * on the same data: what the new features bought.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { runScript, scriptOptions } from '../src/cli/run-script';
import {
  DEFAULT_FEATURE_SETTINGS,
  featureColumns,
  pickFeatures,
  PHOTOTOX_V1_FEATURE_NAMES,
  phototoxWeightsSchema,
  trainPhototoxModel,
  type PhototoxWeights,
} from '../src/models/phototox';
import { writePhototoxFolder } from '../src/models/phototox/phototox-package';
import { reliabilitySvg } from '../src/models/phototox/reliability-svg';
import { INTERVAL_RANGE_S, phototoxSamples, POWER_RANGE_PERCENT, WAVELENGTHS_NM, type PhototoxSamples } from './phototox-dataset';
import { evaluate } from './phototox-evaluation';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const TRAIN_SEEDS = range(1, 64);
export const CALIBRATION_SEEDS = range(65, 88);
export const HELD_OUT_SEEDS = range(101, 140);
export const METRICS_FILE = 'metrics.json';
export const RELIABILITY_FILE = 'reliability.svg';
/** The previous, format-1 model, kept in the folder as the baseline. */
export const BASELINE_FILE = 'phototox-v1.json';

/** JSON with one key a line, lists of plain numbers on one line each (the seed lists would take a page). */
function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\[\s+([-+\d.eE,\s]+?)\s+\]/g, (_, inner: string) => `[${inner.replace(/\s+/g, ' ')}]`);
}

const seedSpan = (seeds: readonly number[]) => `${seeds[0]}–${seeds.at(-1)}`;

function columnsOf(samples: PhototoxSamples, names: readonly string[]): { features: number[][]; labels: boolean[] } {
  const columns = featureColumns(names);
  return { features: samples.features.map((f) => pickFeatures(f, columns)), labels: samples.labels };
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const options = z.object({
    outDir: z
      .string()
      .min(1)
      .default(resolve(__dirname, '..', 'models', 'phototox-default')),
  });
  const outDir = resolve(
    scriptOptions('train:phototox', process.argv.slice(2), options, 'npm run train:phototox -- [--out-dir DIR]').options.outDir,
  );
  const baselinePath = join(outDir, BASELINE_FILE);
  const baseline: PhototoxWeights | undefined = existsSync(baselinePath)
    ? phototoxWeightsSchema.parse(JSON.parse(readFileSync(baselinePath, 'utf8')))
    : undefined;
  const started = Date.now();
  const training = phototoxSamples(TRAIN_SEEDS);
  const calibration = phototoxSamples(CALIBRATION_SEEDS);
  const heldOut = phototoxSamples(HELD_OUT_SEEDS);
  const dataSeconds = (Date.now() - started) / 1000;
  const fitStarted = Date.now();
  const model = trainPhototoxModel(training, calibration, { featureSettings: DEFAULT_FEATURE_SETTINGS });
  const fitSeconds = (Date.now() - fitStarted) / 1000;
  const v1Retrained = trainPhototoxModel(
    columnsOf(training, PHOTOTOX_V1_FEATURE_NAMES),
    columnsOf(calibration, PHOTOTOX_V1_FEATURE_NAMES),
    {
      featureNames: PHOTOTOX_V1_FEATURE_NAMES,
    },
  );
  const evaluation = evaluate(model, heldOut);
  const baselines = {
    ...(baseline ? { shippedV1: { file: BASELINE_FILE, ...evaluate(baseline, heldOut) } } : {}),
    v1FeaturesRetrained: { featureNames: v1Retrained.featureNames, ...evaluate(v1Retrained, heldOut) },
  };
  const headline = {
    heldOutRocAuc: evaluation.rocAuc ?? NaN,
    heldOutExpectedCalibrationError: evaluation.expectedCalibrationError,
    heldOutBrierScore: evaluation.brierScore,
    heldOutSamples: evaluation.samples,
    heldOutDamagedFraction: evaluation.damaged / evaluation.samples,
    trainingSamples: training.labels.length,
    ...(baselines.shippedV1
      ? {
          baselineV1RocAuc: baselines.shippedV1.rocAuc ?? NaN,
          baselineV1ExpectedCalibrationError: baselines.shippedV1.expectedCalibrationError,
        }
      : {}),
  };
  const trainingData = {
    name: 'simulated photodamage time-lapses',
    description: `PhotodamageDish runs (simulators/sample/photodamage): 2 h time-lapses, wavelength ${WAVELENGTHS_NM.join('/')} nm by seed, power ${POWER_RANGE_PERCENT.join('–')} % (log-uniform, changed every 30 min), interval ${INTERVAL_RANGE_S.join('–')} s, exposure 50–200 ms; a sample per cell every third frame, labelled damaged when the simulator's truth says stressed or dead. Seeds ${seedSpan(TRAIN_SEEDS)} train, ${seedSpan(CALIBRATION_SEEDS)} calibration (Platt scaling), ${seedSpan(HELD_OUT_SEEDS)} held out (metrics.json, test tensors)`,
  };
  const metrics = {
    format: 'phototox-metrics/1',
    label: 'cell stressed or dead now (simulator ground truth), per cell neighbourhood of 24 px',
    bins: 10,
    seeds: { training: TRAIN_SEEDS, calibration: CALIBRATION_SEEDS, heldOut: HELD_OUT_SEEDS },
    trainingData: {
      ...trainingData,
      wavelengthsNm: WAVELENGTHS_NM,
      powerRangePercent: POWER_RANGE_PERCENT,
      intervalRangeS: INTERVAL_RANGE_S,
      trainingSamples: training.labels.length,
      calibrationSamples: calibration.labels.length,
    },
    calibration: { method: 'platt', ...model.calibration },
    heldOut: evaluation,
    baselines,
    seconds: { data: dataSeconds, fit: fitSeconds },
  };
  const series = [
    {
      label: `new (${model.featureNames.length} features): ECE ${evaluation.expectedCalibrationError.toFixed(3)}`,
      colour: '#1b6ac9',
      bins: evaluation.reliability,
    },
    ...(baselines.shippedV1
      ? [
          {
            label: `shipped v1 (7 features): ECE ${baselines.shippedV1.expectedCalibrationError.toFixed(3)}`,
            colour: '#d0542a',
            bins: baselines.shippedV1.reliability,
          },
        ]
      : []),
  ];
  const attachments = [
    { name: METRICS_FILE, bytes: Buffer.from(`${compactJson(metrics)}\n`) },
    {
      name: RELIABILITY_FILE,
      bytes: Buffer.from(reliabilitySvg(`phototox reliability, held-out seeds ${seedSpan(HELD_OUT_SEEDS)}`, series)),
    },
    ...(baseline ? [{ name: BASELINE_FILE, bytes: readFileSync(baselinePath) }] : []),
  ];
  const step = Math.max(1, Math.floor(heldOut.features.length / 64));
  await writePhototoxFolder(
    outDir,
    { ...model, metrics: headline },
    {
      // evenly through the held-out samples: every run and wavelength, damaged and healthy cells
      testFeatures: heldOut.features.filter((_, i) => i % step === 0).slice(0, 64),
      trainingData,
      attachments,
    },
  );
  process.stdout.write(
    `${JSON.stringify({ script: 'train-phototox', outDir, ...headline, v1Retrained: { rocAuc: baselines.v1FeaturesRetrained.rocAuc, ece: baselines.v1FeaturesRetrained.expectedCalibrationError, brier: baselines.v1FeaturesRetrained.brierScore }, weights: model.weights, calibration: model.calibration, dataSeconds, fitSeconds, seconds: (Date.now() - started) / 1000 })}\n`,
  );
}

if (require.main === module) runScript('train-phototox', main);
