import * as tf from '@tensorflow/tfjs';
import { LAPLACE_SCALE_EPS } from '../care-network';

/**
 * Losses on normalised values: mean absolute error (CARE's default), mean squared error (both on channel 0), and
 * for the Laplace scale of probabilistic models (channel 1) the negative log-likelihood of a Laplace distribution:
 * `laplace` trains location and scale together (CSBDeep's probabilistic loss); `laplace-scale` trains the scale
 * with the location held fixed. Training location and scale jointly through the shared network starves the
 * location: the likelihood's gradient grows as 1/scale² where the scale is small and takes over the features;
 * hence the two-phase training in train-care.ts. With a mask the mean runs over masked pixels only (Noise2Void).
 */
export type LossKind = 'mae' | 'mse' | 'laplace' | 'laplace-scale';

/** The value of x, through which no gradient flows. */
const stopGradient = tf.customGrad((x) => ({ value: tf.clone(x as tf.Tensor), gradFunc: (dy) => tf.zerosLike(dy) })) as (x: tf.Tensor) => tf.Tensor;

export function careLoss(kind: LossKind, prediction: tf.Tensor4D, target: tf.Tensor4D, mask?: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const mean = prediction.shape[3] === 1 ? prediction : (tf.slice(prediction, [0, 0, 0, 0], [-1, -1, -1, 1]) as tf.Tensor4D);
    const error = tf.sub(target, mean);
    let perPixel: tf.Tensor;
    if (kind === 'laplace' || kind === 'laplace-scale') {
      if (prediction.shape[3] !== 2) throw new Error(`the ${kind} loss needs a 2-channel prediction, got ${prediction.shape[3]}`);
      const scale = tf.add(tf.slice(prediction, [0, 0, 0, 1], [-1, -1, -1, 1]), LAPLACE_SCALE_EPS);
      const absoluteError = kind === 'laplace' ? tf.abs(error) : stopGradient(tf.abs(error));
      perPixel = tf.add(tf.log(scale), tf.div(absoluteError, scale)).add(Math.LN2);
    } else {
      perPixel = kind === 'mae' ? tf.abs(error) : tf.square(error);
    }
    if (!mask) return tf.mean(perPixel) as tf.Scalar;
    return tf.div(tf.sum(tf.mul(perPixel, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}
