import * as tf from '@tensorflow/tfjs';
import type { CareConfig } from './care-config';

/**
 * CSBDeep's `custom_unet` for 2-D, single channel in and out (csbdeep/internals/nets.py), NHWC, any frame size that
 * is a multiple of 2^depth. Output channel 0 is the restored image (normalised units); with `probabilistic`,
 * channel 1 is the softplus scale b of a Laplace distribution (CSBDeep adds eps = 1e-3 to it; we add it where the
 * scale is used, so that the saved model needs no custom layer).
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
    layer = tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2], name: `max_${level}` }).apply(layer) as tf.SymbolicTensor;
  }
  for (let i = 0; i < config.convsPerLevel - 1; i++) layer = conv(layer, base * 2 ** config.depth, k, 'relu', `middle_${i}`);
  layer = conv(layer, base * 2 ** Math.max(0, config.depth - 1), k, 'relu', `middle_${config.convsPerLevel}`);
  for (let level = config.depth - 1; level >= 0; level--) {
    // `size` must be an array: a scalar silently builds NaN shapes in tfjs 4.
    const up = tf.layers.upSampling2d({ size: [2, 2], name: `up_${level}` }).apply(layer) as tf.SymbolicTensor;
    layer = tf.layers.concatenate({ axis: -1, name: `concat_${level}` }).apply([up, skips[level]]) as tf.SymbolicTensor;
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

/** Output channels: 1 (restored) or 2 (restored, Laplace scale). */
export function outputChannels(config: CareConfig): number {
  return config.probabilistic ? 2 : 1;
}
