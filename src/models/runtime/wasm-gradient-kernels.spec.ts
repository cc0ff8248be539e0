import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from './wasm-gradient-kernels';

/** Gradients of sum(w ⊙ relu(conv(x, f))) with respect to x and f, on the current backend. */
function gradients(x: number[], xShape: [number, number, number, number], f: number[], fShape: [number, number, number, number], pad: 'same' | 'valid') {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape);
    const ft = tf.tensor4d(f, fShape);
    const outShape = [xShape[0], xShape[1], xShape[2], fShape[3]];
    const weights = tf.range(0, outShape.reduce((a, b) => a * b), 1, 'float32').reshape(outShape).mul(0.013).sin();
    const grad = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad)).mul(weights).sum());
    const [dx, df] = grad([xt, ft]);
    return { dx: dx.arraySync() as number[][][][], df: df.arraySync() as number[][][][] };
  });
}

function maxAbsDifference(a: unknown, b: unknown): number {
  const fa = (a as number[]).flat(4) as number[];
  const fb = (b as number[]).flat(4) as number[];
  expect(fa.length).toBe(fb.length);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i])), 0);
}

function pseudoRandom(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

describe('fast wasm gradient kernels', () => {
  beforeAll(async () => {
    registerWasmGradientKernels();
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases: Array<{ name: string; x: [number, number, number, number]; f: [number, number, number, number]; pad: 'same' | 'valid' }> = [
    { name: '3×3 same, batch 2, 3→4 channels, non-square frame', x: [2, 7, 9, 3], f: [3, 3, 3, 4], pad: 'same' },
    { name: '5×5 same, batch 3, 2→5 channels', x: [3, 8, 8, 2], f: [5, 5, 2, 5], pad: 'same' },
    { name: '1×1 valid', x: [2, 4, 6, 3], f: [1, 1, 3, 2], pad: 'valid' },
  ];

  it.each(cases)('match the cpu backend: $name', async ({ x, f, pad }) => {
    const xs = pseudoRandom(x.reduce((a, b) => a * b), 7);
    const fs = pseudoRandom(f.reduce((a, b) => a * b), 11);
    await tf.setBackend('cpu');
    const reference = gradients(xs, x, fs, f, pad);
    await tf.setBackend('wasm');
    const fast = gradients(xs, x, fs, f, pad);
    expect(maxAbsDifference(fast.dx, reference.dx)).toBeLessThan(1e-4);
    expect(maxAbsDifference(fast.df, reference.df)).toBeLessThan(1e-4);
  });

  it('registers all three and is idempotent', () => {
    expect(registerWasmGradientKernels()).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'ReluGrad']);
    expect(registerWasmGradientKernels()).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'ReluGrad']);
  });

  it('leaves no tensors behind on wasm', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    gradients(pseudoRandom(2 * 6 * 6 * 2, 3), [2, 6, 6, 2], pseudoRandom(9 * 2 * 3, 5), [3, 3, 2, 3], 'same');
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytesBefore);
  });

  it('names the unsupported case for strided filter gradients', async () => {
    await tf.setBackend('wasm');
    expect(() =>
      tf.tidy(() => tf.grad((f: tf.Tensor) => tf.conv2d(tf.ones([1, 6, 6, 1]) as tf.Tensor4D, f as tf.Tensor4D, 2, 'same').sum())(tf.ones([3, 3, 1, 1]))),
    ).toThrow(/stride 1.*got kernel 3×3, strides 2/);
  });
});
