/**
 * Child script for shipped-models.spec: each shipped model's test input through TensorFlow.js and through ONNX
 * Runtime (both weight formats of its folder), compared with its test output and with each other.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Nhwc } from '../../runtime/inference-runtime';
import { OnnxRuntime } from '../../runtime/onnx-runtime';
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { TfjsRuntime } from '../../runtime/tfjs-runtime';
import { readNpy } from '../../zoo/npy';
import { loadTfjsLayersModel, openModelFolder } from '../model-folder';
import { ModelStore } from '../model-store';

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

async function main(): Promise<void> {
  await initTfjsBackend();
  const store = new ModelStore();
  const results = [];
  for (const name of process.argv.slice(2)) {
    const folder = openModelFolder(store.locate(name));
    const input = readNpy(readFileSync(join(folder.dir, folder.rdf.inputs[0].test_tensor!.source)));
    const expected = readNpy(readFileSync(join(folder.dir, folder.rdf.outputs[0].test_tensor!.source)));
    const tfjs = new TfjsRuntime(await loadTfjsLayersModel(folder));
    const onnx = await OnnxRuntime.create(readFileSync(join(folder.dir, folder.rdf.weights.onnx!.source)));
    const a = await tfjs.predict(input.data, input.shape as unknown as Nhwc);
    const b = await onnx.predict(input.data, input.shape as unknown as Nhwc);
    let low = Infinity;
    let high = -Infinity;
    for (const v of expected.data) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    results.push({
      name,
      runtimes: [tfjs.name, onnx.name],
      shapes: { expected: expected.shape, tfjs: a.shape, onnx: b.shape },
      outputRange: high - low,
      tfjsVsTest: maxAbsDiff(a.data, expected.data),
      onnxVsTest: maxAbsDiff(b.data, expected.data),
      onnxVsTfjs: maxAbsDiff(a.data, b.data),
    });
    await tfjs.dispose();
    await onnx.dispose();
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

void main();
