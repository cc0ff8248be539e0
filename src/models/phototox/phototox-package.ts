import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { tfjsToOnnx } from '../runtime/onnx/tfjs-to-onnx';
import { ONNX_FILE, writeModelFolder, type ModelFolder } from '../store/model-folder';
import { writeNpy } from '../zoo/npy';
import { predictProbability, type PhototoxWeights } from './phototox-model';
import { PHOTOTOX_WEIGHTS_FILE } from './phototox-predictor';

/**
 * The phototoxicity predictor as a model folder like every other model: the logistic model folded into one Dense
 * layer with a sigmoid (standardisation and Platt scaling are linear, so they fold into its weights), saved as
 * TensorFlow.js weights and exported to ONNX by the project's exporter, beside phototox.json (what the agent
 * evaluates: a dozen features do not need a runtime) and the held-out evaluation (metrics.json, reliability.svg). The test tensors are held-out feature vectors and the agent's
 * own probabilities for them; both weight formats must reproduce them.
 */

export const PHOTOTOX_OUTPUT = 'photodamage_probability';

/** sigmoid(slope·(b + Σ wᵢ(xᵢ − mᵢ)/sᵢ) + c) = sigmoid(Σ w′ᵢxᵢ + b′). */
export function phototoxNetwork(model: PhototoxWeights): tf.LayersModel {
  const { slope, intercept } = model.calibration;
  const folded = model.weights.map((w, i) => (slope * w) / model.std[i]);
  const bias = slope * (model.bias - model.weights.reduce((sum, w, i) => sum + (w * model.mean[i]) / model.std[i], 0)) + intercept;
  const input = tf.input({ shape: [model.weights.length], name: 'features' });
  const dense = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'risk' });
  const output = dense.apply(input) as tf.SymbolicTensor;
  const network = tf.model({ inputs: input, outputs: output, name: 'phototox_logistic' });
  dense.setWeights([tf.tensor2d(folded, [folded.length, 1]), tf.tensor1d([bias])]);
  return network;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface PhototoxFolderOptions {
  /** Feature vectors the test tensors are made of (finite rows only), e.g. held-out simulated samples. */
  readonly testFeatures: ReadonlyArray<readonly number[]>;
  /** What the model was trained and evaluated on, for the description. */
  readonly trainingData: { readonly name: string; readonly description: string };
  /** Further files of the folder, checksummed as attachments (e.g. metrics.json, the reliability diagram). */
  readonly attachments?: ReadonlyArray<{ readonly name: string; readonly bytes: Buffer }>;
}

export async function writePhototoxFolder(dir: string, model: PhototoxWeights, options: PhototoxFolderOptions): Promise<ModelFolder> {
  const rows = options.testFeatures.filter((row) => row.length === model.weights.length && row.every(Number.isFinite));
  if (!rows.length) throw new Error('writePhototoxFolder: no finite test feature vector was given');
  const features = model.weights.length;
  const testInput = writeNpy(Float32Array.from(rows.flat()), [rows.length, features]);
  // the agent's probabilities, computed on the float32 values the tensor holds
  const asStored = rows.map((row) => Array.from(Float32Array.from(row)));
  const testOutput = writeNpy(Float32Array.from(asStored.map((row) => predictProbability(model, row))), [rows.length, 1]);
  const network = phototoxNetwork(model);
  try {
    const onnx = Buffer.from(tfjsToOnnx(network, 'phototox_logistic'));
    return await writeModelFolder(
      dir,
      network,
      {
        format_version: '0.5.4',
        type: 'model',
        name: 'phototox-default',
        description:
          `Probability that the cells of a field region are photodamaged (stressed or dead) now, from their recent frames and the light dose history (wavelength, dose rate, dose at the region): a calibrated logistic model over ${features} features (phototox-features.ts). The illumination agent uses it to lower the light before damage shows. Held-out evaluation in metrics.json and reliability.svg.`,
        authors: [{ name: 'scope-controller contributors' }],
        license: 'MIT',
        tags: ['phototoxicity', 'smart-microscopy', 'logistic-regression', 'tensorflow-js', 'onnx'],
        timestamp: new Date().toISOString(),
        inputs: [
          {
            id: 'features',
            description: `feature vectors (N × ${features}), in the order of channel_names; see phototox-features.ts`,
            axes: [{ type: 'batch' }, { type: 'channel', channel_names: [...model.featureNames] }],
            data: { type: 'float32' },
            test_tensor: { source: 'test_input.npy', sha256: sha256(testInput) },
          },
        ],
        outputs: [
          {
            id: 'risk',
            description: 'calibrated probability of photodamage',
            axes: [{ type: 'batch' }, { type: 'channel', channel_names: [PHOTOTOX_OUTPUT] }],
            data: { type: 'float32', range: [0, 1] },
            test_tensor: { source: 'test_output.npy', sha256: sha256(testOutput) },
          },
        ],
        training_data: { type: 'dataset', ...options.trainingData },
        config: {
          scope: {
            kind: 'phototox-logistic',
            metrics: model.metrics ?? {},
            test_tensors: `${rows.length} held-out feature vectors (float32) and the agent's probabilities for them (phototox.json); both weight formats must reproduce them`,
          },
        },
      },
      [
        { name: ONNX_FILE, bytes: onnx, weights: { onnxOpset: 13 } },
        { name: PHOTOTOX_WEIGHTS_FILE, bytes: Buffer.from(`${JSON.stringify(model, null, 1)}\n`) },
        { name: 'test_input.npy', bytes: Buffer.from(testInput) },
        { name: 'test_output.npy', bytes: Buffer.from(testOutput) },
        ...(options.attachments ?? []),
      ],
    );
  } finally {
    network.dispose();
  }
}
