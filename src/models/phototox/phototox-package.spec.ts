import * as tf from '@tensorflow/tfjs';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeOnnx } from '../runtime/onnx/onnx-model';
import { runTsChild } from '../smlm/testing/run-ts-child';
import { openModelFolder } from '../store/model-folder';
import { loadPhototoxPredictor, predictProbability, DEFAULT_PHOTOTOX_DIR, PhototoxModelFileError } from '.';
import { phototoxNetwork } from './phototox-package';

describe('the phototoxicity predictor as a model folder (TensorFlow.js and ONNX weights)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('folds standardisation and calibration into one Dense layer that gives the agent its probabilities', () => {
    const { model } = loadPhototoxPredictor();
    const network = phototoxNetwork(model);
    let state = 7;
    const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const rows = Array.from({ length: 50 }, () => model.mean.map((m, i) => m + (random() - 0.5) * 4 * model.std[i]));
    const probabilities = (network.predict(tf.tensor2d(rows)) as tf.Tensor).dataSync();
    rows.forEach((row, i) => expect(probabilities[i]).toBeCloseTo(predictProbability(model, row), 5));
    network.dispose();
  });

  it('ships rdf.yaml listing onnx (opset 13) and tensorflow_js weights, phototox.json and test tensors, all checksummed', () => {
    const { rdf } = openModelFolder(DEFAULT_PHOTOTOX_DIR);
    expect(rdf.weights.onnx).toMatchObject({ source: 'model.onnx', opset_version: 13 });
    expect(rdf.weights.tensorflow_js?.source).toBe('model.json');
    expect(rdf.attachments?.map((a) => a.source)).toContain('phototox.json');
    expect(rdf.inputs[0].axes).toEqual([{ type: 'batch' }, { type: 'channel', channel_names: loadPhototoxPredictor().model.featureNames }]);
    const graph = decodeOnnx(readFileSync(join(DEFAULT_PHOTOTOX_DIR, 'model.onnx'))).graph!;
    expect(graph.node!.map((n) => n.opType)).toEqual(['Identity', 'Gemm', 'Sigmoid', 'Identity']);
    expect(graph.input![0].type!.tensorType!.shape!.dim!.map((d) => d.dimValue ?? d.dimParam)).toEqual(['N', loadPhototoxPredictor().model.featureNames.length]);
  });

  it('refuses a folder whose phototox.json was altered after its checksum was recorded, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phototox-folder-'));
    try {
      cpSync(DEFAULT_PHOTOTOX_DIR, dir, { recursive: true });
      const model = JSON.parse(readFileSync(join(dir, 'phototox.json'), 'utf8'));
      writeFileSync(join(dir, 'phototox.json'), JSON.stringify({ ...model, bias: model.bias + 3 }));
      expect(() => loadPhototoxPredictor(dir)).toThrow(PhototoxModelFileError);
      expect(() => loadPhototoxPredictor(dir)).toThrow(/phototox\.json does not match the sha256/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ONNX Runtime and TensorFlow.js reproduce the test output (the agent\'s probabilities) within 1e-4', async () => {
    const r = await runTsChild<{ inputShape: number[]; outputShape: number[]; onnxShape: number[]; onnxVsTest: number; tfjsVsTest: number; spread: number }>(resolve(__dirname, 'testing', 'phototox-agreement-child.ts'));
    expect(r.inputShape[1]).toBe(loadPhototoxPredictor().model.featureNames.length);
    expect(r.onnxShape).toEqual(r.outputShape);
    expect(r.spread).toBeGreaterThan(0.3);
    expect(r.onnxVsTest).toBeLessThanOrEqual(1e-4);
    expect(r.tfjsVsTest).toBeLessThanOrEqual(1e-4);
  }, 60_000);
});
