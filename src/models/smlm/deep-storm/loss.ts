import * as tf from '@tensorflow/tfjs';
import { HEATMAP_KERNEL_SIZE, HEATMAP_SIGMA_PX, matlabGaussian } from './heatmap';

/**
 * The paper's loss: MSE between the label heatmap and the prediction blurred by 2× the heatmap kernel, plus the
 * mean absolute value of the prediction (sparsity).
 */
export function deepStormLoss(heatmapTrue: tf.Tensor4D, prediction: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const kernel = tf.tensor4d(matlabGaussian(HEATMAP_KERNEL_SIZE, HEATMAP_SIGMA_PX), [HEATMAP_KERNEL_SIZE, HEATMAP_KERNEL_SIZE, 1, 1]).mul(2) as tf.Tensor4D;
    const heatmapPred = tf.conv2d(prediction, kernel, 1, 'same');
    const mse = tf.mean(tf.squaredDifference(heatmapTrue, heatmapPred));
    const l1 = tf.mean(tf.abs(prediction));
    return tf.add(mse, l1) as tf.Scalar;
  });
}
