/** Child script for onnx-export.spec: a random Deep-STORM net on tfjs (cpu) and on ONNX Runtime, outputs compared. */
import * as tf from '@tensorflow/tfjs';
import { OnnxRuntime } from '../../runtime/onnx-runtime';
import { TfjsRuntime } from '../../runtime/tfjs-runtime';
import { buildDeepStorm, scaledArchitecture } from '../deep-storm/architecture';
import { exportDeepStormOnnx } from '../deep-storm/onnx-export';

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const model = buildDeepStorm(scaledArchitecture(0.125), 3);
  // Non-trivial batch-norm statistics, so that folding them is tested.
  for (const layer of model.layers.filter((l) => l.name.startsWith('bn-'))) {
    const n = layer.getWeights()[0].shape[0];
    layer.setWeights([tf.randomUniform([n], 0.5, 1.5, 'float32', 1), tf.randomNormal([n], 0, 0.2, 'float32', 2), tf.randomNormal([n], 0, 0.3, 'float32', 3), tf.randomUniform([n], 0.5, 2, 'float32', 4)]);
  }
  const onnx = await OnnxRuntime.create(exportDeepStormOnnx(model), 1);
  const tfjs = new TfjsRuntime(model);
  const cases = [];
  for (const [h, w] of [[32, 48], [16, 16]] as const) {
    const input = tf.randomNormal([2, h, w, 1], 0, 1, 'float32', 7).dataSync() as Float32Array;
    const a = await tfjs.predict(input, [2, h, w, 1]);
    const b = await onnx.predict(input, [2, h, w, 1]);
    let maxDiff = 0;
    let maxAbs = 0;
    for (let i = 0; i < a.data.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a.data[i] - b.data[i]));
      maxAbs = Math.max(maxAbs, Math.abs(a.data[i]));
    }
    cases.push({ h, w, shape: b.shape, maxDiff, maxAbs });
  }
  await onnx.dispose();
  await tfjs.dispose();
  process.stdout.write(`${JSON.stringify(cases)}\n`);
}

void main();
