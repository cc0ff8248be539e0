/** Child script for phototox-package.spec (ONNX Runtime does not run inside Jest): the shipped folder's test tensors through ONNX Runtime and TensorFlow.js. */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOnnxRuntime } from '../../runtime/onnx-runtime';
import { loadTfjsLayersModel, openModelFolder } from '../../store/model-folder';
import { readNpy } from '../../zoo/npy';
import { DEFAULT_PHOTOTOX_DIR } from '../phototox-predictor';

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const folder = openModelFolder(DEFAULT_PHOTOTOX_DIR);
  const input = readNpy(readFileSync(join(folder.dir, folder.rdf.inputs[0].test_tensor!.source)));
  const expected = readNpy(readFileSync(join(folder.dir, folder.rdf.outputs[0].test_tensor!.source)));
  const ort = loadOnnxRuntime()!;
  const session = await ort.InferenceSession.create(readFileSync(join(folder.dir, folder.rdf.weights.onnx!.source)));
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input.data, input.shape) });
  const onnx = result[session.outputNames[0]];
  const network = await loadTfjsLayersModel(folder);
  const tfjs = (network.predict(tf.tensor2d(input.data, input.shape as [number, number])) as tf.Tensor).dataSync();
  const diff = (a: ArrayLike<number>) => Array.from(expected.data).reduce((m, v, i) => Math.max(m, Math.abs(v - a[i])), 0);
  process.stdout.write(
    `${JSON.stringify({ inputShape: input.shape, outputShape: expected.shape, onnxShape: onnx.dims.map(Number), onnxVsTest: diff(onnx.data as Float32Array), tfjsVsTest: diff(tfjs), spread: Math.max(...expected.data) - Math.min(...expected.data) })}\n`,
  );
  await session.release();
}

void main();
