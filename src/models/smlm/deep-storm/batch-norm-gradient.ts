import * as tf from '@tensorflow/tfjs';

let batchNormGradientRegistered = false;

/**
 * tfjs' gradient of FusedBatchNorm tiles 1/√var over the whole batch before multiplying, and the wasm Tile kernel
 * is a plain loop: at Deep-STORM's ×8 resolution it dominated a training step. This is the same gradient with
 * broadcasting instead of the tile.
 */
export function registerBroadcastingBatchNormGradient(): void {
  if (batchNormGradientRegistered) return;
  batchNormGradientRegistered = true;
  const previousWarn = console.warn;
  // registerGradient warns when it replaces an existing gradient; that is the point here.
  console.warn = () => undefined;
  try {
    tf.registerGradient({
      kernelName: 'FusedBatchNorm',
      inputsToSave: ['x', 'mean', 'variance', 'scale'],
      gradFunc: (dy, saved, attrs) => {
        const dyT = dy as tf.Tensor;
        const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
        const [x, mean, variance, scale] = saved;
        const scaleValue = scale == null ? tf.scalar(1) : scale;
        const axes: number[] = [];
        if (mean.rank === 1) for (let i = 0; i < x.rank - 1; i++) axes.push(i);
        const reduce = (t: tf.Tensor) => (mean.rank === 1 ? tf.sum(t, axes) : t);
        const xMinusMean = tf.sub(x, mean);
        const dyTimesScale = tf.mul(dyT, scaleValue);
        const rsqrtVar = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
        const minusHalfRCube = tf.mul(tf.mul(tf.mul(rsqrtVar, rsqrtVar), rsqrtVar), tf.scalar(-0.5));
        return {
          x: () => tf.reshape(tf.mul(dyTimesScale, rsqrtVar), x.shape),
          mean: () => tf.reshape(reduce(tf.mul(tf.mul(rsqrtVar, tf.scalar(-1)), dyTimesScale)), mean.shape),
          variance: () => tf.reshape(reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)), mean.shape),
          scale: () => tf.reshape(reduce(tf.mul(dyT, tf.mul(xMinusMean, rsqrtVar))), mean.shape),
          offset: () => tf.reshape(reduce(dyT), mean.shape),
        };
      },
    });
  } finally {
    console.warn = previousWarn;
  }
}
