import * as tf from '@tensorflow/tfjs';

/**
 * Deep-STORM (Nehme et al., Optica 5, 458, 2018): a fully convolutional encoder–decoder on the ×8 upsampled
 * frame. Each stage is conv 3×3 (no bias) → batch norm → ReLU; three 2×2 max-pools down, three ×2 nearest
 * upsamplings back, then a 1×1 linear convolution to the emitter density.
 */
export interface DeepStormArchitecture {
  /** Filters of the seven conv stages: encoder (3), bottleneck, decoder (3). */
  readonly filters: readonly [number, number, number, number, number, number, number];
  readonly kernelSize: number;
}

/** The paper's network: 1.37 M parameters (1.33 M trainable). */
export const PAPER_ARCHITECTURE: DeepStormArchitecture = { filters: [32, 64, 128, 512, 128, 64, 32], kernelSize: 3 };

/** The same network with every stage's width scaled (rounded, at least 4 filters). */
export function scaledArchitecture(widthScale: number, base: DeepStormArchitecture = PAPER_ARCHITECTURE): DeepStormArchitecture {
  const f = base.filters.map((n) => Math.max(4, Math.round(n * widthScale))) as unknown as DeepStormArchitecture['filters'];
  return { filters: f, kernelSize: base.kernelSize };
}

/** Input sides must be multiples of this (three 2×2 poolings). */
export const INPUT_MULTIPLE = 8;

function convBnRelu(input: tf.SymbolicTensor, filters: number, kernelSize: number, name: string, seed: number): tf.SymbolicTensor {
  const conv = tf.layers
    .conv2d({
      filters,
      kernelSize,
      padding: 'same',
      useBias: false,
      // He-normal instead of the paper's orthogonal initialiser: tfjs' orthogonal init is slow on large kernels.
      kernelInitializer: tf.initializers.heNormal({ seed }),
      name: `conv-${name}`,
    })
    .apply(input) as tf.SymbolicTensor;
  const norm = tf.layers.batchNormalization({ name: `bn-${name}` }).apply(conv) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'relu', name: `relu-${name}` }).apply(norm) as tf.SymbolicTensor;
}

/** Builds the network for inputs of any size (multiples of 8), NHWC with one channel. */
export function buildDeepStorm(architecture: DeepStormArchitecture = PAPER_ARCHITECTURE, seed = 1): tf.LayersModel {
  const [f1, f2, f3, f4, f5, f6, f7] = architecture.filters;
  const k = architecture.kernelSize;
  const input = tf.input({ shape: [null, null, 1], name: 'upsampled_frame' });
  const pool = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2], name }).apply(x) as tf.SymbolicTensor;
  // size must be an array: a scalar silently builds NaN shapes in tfjs 4.
  const up = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.upSampling2d({ size: [2, 2], name }).apply(x) as tf.SymbolicTensor;
  const e1 = convBnRelu(input, f1, k, 'F1', seed + 1);
  const e2 = convBnRelu(pool(e1, 'pool1'), f2, k, 'F2', seed + 2);
  const e3 = convBnRelu(pool(e2, 'pool2'), f3, k, 'F3', seed + 3);
  const b4 = convBnRelu(pool(e3, 'pool3'), f4, k, 'F4', seed + 4);
  const d5 = convBnRelu(up(b4, 'up1'), f5, k, 'F5', seed + 5);
  const d6 = convBnRelu(up(d5, 'up2'), f6, k, 'F6', seed + 6);
  const d7 = convBnRelu(up(d6, 'up3'), f7, k, 'F7', seed + 7);
  const density = tf.layers
    .conv2d({ filters: 1, kernelSize: 1, padding: 'same', useBias: false, activation: 'linear', kernelInitializer: tf.initializers.heNormal({ seed: seed + 8 }), name: 'prediction' })
    .apply(d7) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: density, name: 'deep_storm' });
}
