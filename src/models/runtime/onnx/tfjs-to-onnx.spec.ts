import * as tf from '@tensorflow/tfjs';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { CSBDEEP_DEFAULT_CONFIG, type CareConfig } from '../../care/care-config';
import { loadCareModel } from '../../care/care-model';
import { buildCareNetwork } from '../../care/care-network';
import { careDescription } from '../../care/care-package';
import { WorkerCareRestorer } from '../../care/live/worker-restorer';
import { TINY_CARE_CONFIG } from '../../care/testing/tiny-care';
import { writeModelFolder } from '../../store/model-folder';
import { initTfjsBackend } from '../tfjs-backend';
import { decodeOnnx, ONNX_IR_VERSION, onnxDataType, type OnnxValueInfoObject } from './onnx-model';
import { OnnxExportError, tfjsToOnnx } from './tfjs-to-onnx';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * ONNX Runtime's native outputs are typed arrays of Node's main realm, which Jest's sandbox does not accept; the
 * ONNX side therefore runs where the live path runs it, in a worker thread (WorkerCareRestorer).
 */
async function compareRuntimes(config: CareConfig, widthPx: number, heightPx: number): Promise<{ restored: number; uncertainty: number; runtime: string }> {
  const network = buildCareNetwork(config, 4);
  const dir = join(mkdtempSync(join(tmpdir(), 'care-onnx-')), 'exported');
  await writeModelFolder(
    dir,
    network,
    careDescription({ name: 'export test', description: 'random weights', architecture: config, training: { mode: 'supervised' }, trainingData: { name: 'none', description: 'none' } }),
    [{ name: 'model.onnx', bytes: Buffer.from(tfjsToOnnx(network)), weights: { onnxOpset: 13 } }],
  );
  const frame = Float32Array.from({ length: widthPx * heightPx }, (_, i) => 100 + 30 * Math.sin(i / 5) + 10 * Math.cos(i / 17));
  const tfjs = await loadCareModel(dir, { runtime: 'tfjs' });
  const onnx = await WorkerCareRestorer.start(dir, { runtime: 'onnx' });
  try {
    const a = await tfjs.restore(frame, widthPx, heightPx);
    const b = await onnx.restore(frame, widthPx, heightPx);
    const range = a.quality.normalization.high - a.quality.normalization.low;
    const diff = (x: Float32Array, y: Float32Array) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0) / range;
    return { restored: diff(a.restored, b.restored), uncertainty: diff(a.uncertainty, b.uncertainty), runtime: onnx.runtimeName };
  } finally {
    await onnx.close();
    await tfjs.dispose();
    network.dispose();
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}

describe('tfjs → ONNX export', () => {
  beforeAll(async () => {
    await initTfjsBackend();
  });

  it('restores on ONNX Runtime as on tfjs (Laplace head, frame of odd size)', async () => {
    const result = await compareRuntimes(TINY_CARE_CONFIG, 50, 37);
    expect(result.runtime).toBe('onnxruntime-node');
    expect(result.restored).toBeLessThan(1e-5);
    expect(result.uncertainty).toBeLessThan(1e-5);
  }, 60_000);

  it("exports CSBDeep's default network (5×5 kernels; flip-ensemble uncertainty, a batch of 4)", async () => {
    const result = await compareRuntimes(CSBDEEP_DEFAULT_CONFIG, 24, 24);
    expect(result.restored).toBeLessThan(1e-5);
    expect(result.uncertainty).toBeLessThan(1e-5);
  }, 60_000);

  it('restores on ONNX Runtime as on tfjs with N2V2\'s blur-pool and no top-level skip (frame not a multiple of 4)', async () => {
    const result = await compareRuntimes({ ...TINY_CARE_CONFIG, residual: false, blurPool: true, topSkip: false }, 45, 30);
    expect(result.restored).toBeLessThan(1e-5);
    expect(result.uncertainty).toBeLessThan(1e-5);
  }, 60_000);

  it('writes a ModelProto that ONNX\'s schema reads back: opset, symbolic NHWC interface, weights in OIHW', () => {
    const network = buildCareNetwork(TINY_CARE_CONFIG, 4);
    try {
      const model = decodeOnnx(tfjsToOnnx(network, 'tiny'));
      expect(model.irVersion).toBe(ONNX_IR_VERSION);
      expect(model.opsetImport).toEqual([{ version: 13 }]);
      const graph = model.graph!;
      expect(graph.name).toBe('tiny');
      const dims = (info: OnnxValueInfoObject) => info.type!.tensorType!.shape!.dim!.map((d) => d.dimValue ?? d.dimParam);
      expect(graph.input!.map(dims)).toEqual([['N', 'H', 'W', 1]]);
      expect(graph.output!.map(dims)).toEqual([['N', 'H', 'W', network.outputs[0].shape[3]]]);
      expect(onnxDataType(graph.input![0].type!.tensorType!.elemType!)).toBe('FLOAT');
      const convLayers = network.layers.filter((layer) => layer.getClassName() === 'Conv2D');
      const convNodes = graph.node!.filter((node) => node.opType === 'Conv');
      expect(convNodes).toHaveLength(convLayers.length);
      const first = convLayers[0];
      const [kh, kw, cin, cout] = first.getWeights()[0].shape;
      const weights = graph.initializer!.find((t) => t.name === `${first.name}.W`)!;
      expect(weights.dims).toEqual([cout, cin, kh, kw]);
      expect(onnxDataType(weights.dataType!)).toBe('FLOAT');
      expect(weights.rawData!.length).toBe(kh * kw * cin * cout * 4);
      const kernel = first.getWeights()[0].dataSync();
      // tfjs [y, x, in, out] = [1, 2, 0, 1] lands at ONNX [out 1, in 0, y 1, x 2]
      const tfjsAt = ((1 * kw + 2) * cin + 0) * cout + 1;
      const onnxAt = ((1 * cin + 0) * kh + 1) * kw + 2;
      expect(weights.rawData!.readFloatLE(onnxAt * 4)).toBe(kernel[tfjsAt]);
    } finally {
      network.dispose();
    }
  });

  it('names a layer it cannot export', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const output = tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, name: 'up' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    expect(() => tfjsToOnnx(model)).toThrow(OnnxExportError);
    expect(() => tfjsToOnnx(model)).toThrow(/up \(Conv2DTranspose\) is not exported/);
    model.dispose();
  });
});
