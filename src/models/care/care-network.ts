import * as tf from '@tensorflow/tfjs';
import type { CareConfig } from './care-config';

/**
 * CSBDeep's `custom_unet` for 2-D, single channel in and out (csbdeep/internals/nets.py), NHWC, any frame size that
 * is a multiple of 2^depth. Output channel 0 is the restored image (normalised units); with `probabilistic`,
 * channel 1 is the softplus scale b of a Laplace distribution (CSBDeep adds eps = 1e-3 to it; we add it where the
 * scale is used, so that the saved model needs no custom layer).
 * N2V2's options (Höck et al. 2022) are built from stock layers too, so that tfjs saves and loads them and the
 * ONNX exporter and the wasm gradients need nothing new: `blurPool` downsamples by max-blur-pool, and
 * `topSkip: false` leaves out the full-resolution skip connection, through which Noise2Void's networks pass the
 * high-frequency checkerboard of the blind spot.
 */
export const LAPLACE_SCALE_EPS = 1e-3;

/** Name of the 1×1 convolution that predicts the Laplace scale. */
export const LAPLACE_SCALE_LAYER = 'laplace_scale';

export function buildCareNetwork(config: CareConfig, seed = 1): tf.LayersModel {
  let nextSeed = seed;
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, activation: 'relu' | 'linear' | 'softplus', name: string) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize,
        padding: 'same',
        activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed++ }),
        name,
      })
      .apply(x) as tf.SymbolicTensor;
  const k = config.kernelSize;
  const base = config.firstFilters;
  const input = tf.input({ shape: [null, null, 1], name: 'input' });

  const skips: tf.SymbolicTensor[] = [];
  let layer = input;
  for (let level = 0; level < config.depth; level++) {
    for (let i = 0; i < config.convsPerLevel; i++) layer = conv(layer, base * 2 ** level, k, 'relu', `down_level_${level}_no_${i}`);
    skips.push(layer);
    layer = config.blurPool ? blurPool(layer, level) : (tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2], name: `max_${level}` }).apply(layer) as tf.SymbolicTensor);
  }
  for (let i = 0; i < config.convsPerLevel - 1; i++) layer = conv(layer, base * 2 ** config.depth, k, 'relu', `middle_${i}`);
  layer = conv(layer, base * 2 ** Math.max(0, config.depth - 1), k, 'relu', `middle_${config.convsPerLevel}`);
  for (let level = config.depth - 1; level >= 0; level--) {
    // `size` must be an array: a scalar silently builds NaN shapes in tfjs 4.
    const up = tf.layers.upSampling2d({ size: [2, 2], name: `up_${level}` }).apply(layer) as tf.SymbolicTensor;
    const skip = level > 0 || config.topSkip !== false;
    layer = skip ? (tf.layers.concatenate({ axis: -1, name: `concat_${level}` }).apply([up, skips[level]]) as tf.SymbolicTensor) : up;
    for (let i = 0; i < config.convsPerLevel - 1; i++) layer = conv(layer, base * 2 ** level, k, 'relu', `up_level_${level}_no_${i}`);
    layer = conv(layer, base * 2 ** Math.max(0, level - 1), k, 'relu', `up_level_${level}_no_${config.convsPerLevel}`);
  }
  const features = layer;
  let mean = conv(features, 1, 1, 'linear', 'final_conv');
  if (config.residual) mean = tf.layers.add({ name: 'residual' }).apply([mean, input]) as tf.SymbolicTensor;
  if (!config.probabilistic) return tf.model({ inputs: input, outputs: mean, name: 'care_unet' });
  const scale = conv(features, 1, 1, 'softplus', LAPLACE_SCALE_LAYER);
  const output = tf.layers.concatenate({ axis: -1, name: 'mean_and_scale' }).apply([mean, scale]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'care_unet' });
}

/**
 * N2V2's MaxBlurPool2D (n2v's nets/blurpool.py, after Zhang 2019): 2×2 max at stride 1, then the 3×3 binomial
 * blur [1 2 1]ᵀ[1 2 1]/16 at stride 2, the blur written as two 2×2 averages (box ∗ box = [1 2 1]/4 per axis), the
 * second at stride 2. Averages rather than a depthwise convolution because the wasm backend has AvgPool's gradient
 * and no depthwise one; at the last row and column the 'same' average counts valid pixels only (no zero border).
 */
function blurPool(x: tf.SymbolicTensor, level: number): tf.SymbolicTensor {
  const max = tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [1, 1], padding: 'same', name: `blurpool_${level}_max` }).apply(x);
  const box = tf.layers.averagePooling2d({ poolSize: [2, 2], strides: [1, 1], padding: 'same', name: `blurpool_${level}_box` }).apply(max);
  return tf.layers.averagePooling2d({ poolSize: [2, 2], strides: [2, 2], padding: 'valid', name: `blurpool_${level}_down` }).apply(box) as tf.SymbolicTensor;
}

/** Output channels: 1 (restored) or 2 (restored, Laplace scale). */
export function outputChannels(config: CareConfig): number {
  return config.probabilistic ? 2 : 1;
}
