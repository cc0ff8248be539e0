import * as tf from '@tensorflow/tfjs';
import { runTsChild } from '../testing/run-ts-child';
import { exportDeepStormOnnx, OnnxExportError } from './onnx-export';

describe('Deep-STORM ONNX export', () => {
  it('runs on ONNX Runtime with the same output as tfjs, batch norm folded, at any size', async () => {
    // In a child process: ONNX Runtime's outputs do not survive Jest's sandbox (see run-ts-child).
    const cases = await runTsChild<Array<{ h: number; w: number; shape: number[]; maxDiff: number; maxAbs: number }>>('onnx-parity.ts');
    expect(cases).toHaveLength(2);
    for (const c of cases) {
      expect(c.shape).toEqual([2, c.h, c.w, 1]);
      expect(c.maxAbs).toBeGreaterThan(0);
      expect(c.maxDiff).toBeLessThan(1e-4 * Math.max(1, c.maxAbs));
    }
  });

  it('refuses a network that is not Deep-STORM', async () => {
    await tf.setBackend('cpu');
    const input = tf.input({ shape: [8, 8, 1] });
    const other = tf.model({ inputs: input, outputs: tf.layers.conv2d({ filters: 1, kernelSize: 1 }).apply(input) as tf.SymbolicTensor });
    expect(() => exportDeepStormOnnx(other)).toThrow(OnnxExportError);
    other.dispose();
  });
});
