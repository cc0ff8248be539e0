/**
 * `node -r ts-node/register/transpile-only scripts/train-phototox.ts [outDir]`: trains the phototoxicity predictor
 * on simulated runs (seeds 1–24), calibrates it on runs 25–32, evaluates it on held-out runs 101–112 (ROC AUC,
 * expected calibration error) and writes models/phototox-default/phototox.json with its metrics.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expectedCalibrationError, PHOTOTOX_WEIGHTS_FILE, predictProbability, rocAuc, trainPhototoxModel } from '../src/models/phototox';
import { phototoxSamples } from './phototox-dataset';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const TRAIN_SEEDS = range(1, 24);
export const CALIBRATION_SEEDS = range(25, 32);
export const HELD_OUT_SEEDS = range(101, 112);

function main(): void {
  const outDir = resolve(process.argv[2] ?? resolve(__dirname, '..', 'models', 'phototox-default'));
  const started = Date.now();
  const training = phototoxSamples(TRAIN_SEEDS);
  const calibration = phototoxSamples(CALIBRATION_SEEDS);
  const heldOut = phototoxSamples(HELD_OUT_SEEDS);
  const model = trainPhototoxModel(training, calibration);
  const probabilities = heldOut.features.map((f) => predictProbability(model, f));
  const metrics = {
    heldOutRocAuc: rocAuc(probabilities, heldOut.labels),
    heldOutExpectedCalibrationError: expectedCalibrationError(probabilities, heldOut.labels),
    heldOutSamples: heldOut.labels.length,
    heldOutDamagedFraction: heldOut.labels.filter(Boolean).length / heldOut.labels.length,
    trainingSamples: training.labels.length,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, PHOTOTOX_WEIGHTS_FILE), `${JSON.stringify({ ...model, metrics }, null, 1)}\n`);
  process.stdout.write(`${JSON.stringify({ script: 'train-phototox', outDir, ...metrics, weights: model.weights, seconds: (Date.now() - started) / 1000 })}\n`);
}

if (require.main === module) main();
