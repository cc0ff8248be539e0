/**
 * `npm run train:phototox -- [--out-dir models/phototox-default]`: trains the phototoxicity predictor
 * on simulated runs (seeds 1–24), calibrates it on runs 25–32, evaluates it on held-out runs 101–112 (ROC AUC,
 * expected calibration error) and writes the model folder models/phototox-default: phototox.json with its metrics,
 * the same model as TensorFlow.js weights and as ONNX (through the project's exporter), rdf.yaml, and test tensors
 * made of held-out feature vectors.
 */
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { runScript, scriptOptions } from '../src/cli/run-script';
import { expectedCalibrationError, predictProbability, rocAuc, trainPhototoxModel } from '../src/models/phototox';
import { writePhototoxFolder } from '../src/models/phototox/phototox-package';
import { phototoxSamples } from './phototox-dataset';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const TRAIN_SEEDS = range(1, 24);
export const CALIBRATION_SEEDS = range(25, 32);
export const HELD_OUT_SEEDS = range(101, 112);

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
  await writePhototoxFolder(
    outDir,
    { ...model, metrics },
    {
      // every 97th held-out sample: all runs, damaged and healthy cells
      testFeatures: heldOut.features.filter((_, i) => i % 97 === 0).slice(0, 64),
      trainingData: {
        name: 'simulated photodamage time-lapses',
        description: `PhotodamageDish runs (simulators/sample/photodamage.ts): seeds ${TRAIN_SEEDS[0]}–${TRAIN_SEEDS.at(-1)} train, ${CALIBRATION_SEEDS[0]}–${CALIBRATION_SEEDS.at(-1)} calibration (Platt scaling), ${HELD_OUT_SEEDS[0]}–${HELD_OUT_SEEDS.at(-1)} held out (metrics and test tensors)`,
      },
    },
  );
  process.stdout.write(
    `${JSON.stringify({ script: 'train-phototox', outDir, ...metrics, weights: model.weights, seconds: (Date.now() - started) / 1000 })}\n`,
  );
}

if (require.main === module) runScript('train-phototox', main);
