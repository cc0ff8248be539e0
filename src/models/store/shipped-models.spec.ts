import { resolve } from 'node:path';
import { runTsChild } from '../smlm/testing/run-ts-child';
import { openModelFolder } from './model-folder';
import { ModelStore } from './model-store';

interface Agreement {
  readonly name: string;
  readonly runtimes: string[];
  readonly shapes: { expected: number[]; tfjs: number[]; onnx: number[] };
  readonly outputRange: number;
  readonly tfjsVsTest: number;
  readonly onnxVsTest: number;
  readonly onnxVsTfjs: number;
}

const SHIPPED_WITH_TWO_FORMATS = ['care-default', 'deep-storm-default'];

describe('shipped models: both weight formats reproduce the test tensor', () => {
  it('lists onnx (with opset) and tensorflow_js weights and checksummed test tensors', () => {
    for (const name of SHIPPED_WITH_TWO_FORMATS) {
      const { rdf } = openModelFolder(new ModelStore().locate(name));
      expect(rdf.weights.onnx?.opset_version).toBeGreaterThanOrEqual(13);
      expect(rdf.weights.tensorflow_js?.source).toBe('model.json');
      expect(rdf.inputs[0].test_tensor?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(rdf.outputs[0].test_tensor?.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('TensorFlow.js and ONNX Runtime agree within 1e-4 of the output range', async () => {
    // In a child process: ONNX Runtime's outputs do not survive Jest's sandbox.
    const results = await runTsChild<Agreement[]>(resolve(__dirname, 'testing', 'shipped-agreement.ts'), SHIPPED_WITH_TWO_FORMATS);
    expect(results.map((r) => r.name)).toEqual(SHIPPED_WITH_TWO_FORMATS);
    for (const r of results) {
      expect(r.runtimes[1]).toBe('onnxruntime-node');
      expect(r.shapes.onnx).toEqual(r.shapes.expected);
      expect(r.shapes.tfjs).toEqual(r.shapes.expected);
      expect(r.outputRange).toBeGreaterThan(0);
      expect(r.onnxVsTfjs).toBeLessThanOrEqual(1e-4 * r.outputRange);
      expect(r.onnxVsTest).toBeLessThanOrEqual(1e-4 * r.outputRange);
      expect(r.tfjsVsTest).toBeLessThanOrEqual(1e-4 * r.outputRange);
    }
    process.stdout.write(`${JSON.stringify(results)}\n`);
  }, 120_000);
});
