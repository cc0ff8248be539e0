import * as tf from '@tensorflow/tfjs';
import { buildDeepStorm, INPUT_MULTIPLE, type DeepStormArchitecture } from './architecture';
import { deepStormLoss } from './loss';

/** One batch of training patches: normalised ×8-upsampled inputs and their heatmap labels, NHWC with C = 1. */
export interface TrainingBatch {
  readonly inputs: Float32Array;
  readonly heatmaps: Float32Array;
  readonly count: number;
  readonly sizePx: number;
}

export interface TrainingOptions {
  readonly architecture: DeepStormArchitecture;
  readonly steps: number;
  /** Adam's learning rate at the start (the paper's 1e-3) and at the end; it decays geometrically between. */
  readonly learningRate?: number;
  readonly finalLearningRate?: number;
  readonly seed?: number;
  /** Called after every step with the loss; return false to stop early. */
  readonly onStep?: (step: number, loss: number, learningRate: number) => boolean | void;
}

export class TrainingInputError extends Error {
  override readonly name = 'TrainingInputError';
}

interface AdamWithRate {
  learningRate: number;
}

/**
 * Trains Deep-STORM with the paper's loss and optimiser on batches from `nextBatch` (seeded and deterministic
 * when the batches are). Returns the model and the loss of every step.
 */
export async function trainDeepStorm(
  nextBatch: (step: number) => TrainingBatch | Promise<TrainingBatch>,
  options: TrainingOptions,
): Promise<{ model: tf.LayersModel; losses: number[] }> {
  const model = buildDeepStorm(options.architecture, options.seed ?? 1);
  const lr0 = options.learningRate ?? 1e-3;
  const lr1 = options.finalLearningRate ?? lr0 / 10;
  const optimizer = tf.train.adam(lr0);
  const losses: number[] = [];
  for (let step = 0; step < options.steps; step++) {
    const batch = await nextBatch(step);
    if (batch.sizePx % INPUT_MULTIPLE !== 0 || batch.inputs.length !== batch.count * batch.sizePx * batch.sizePx) {
      throw new TrainingInputError(`training batch ${step}: ${batch.count} patches of ${batch.sizePx}² need ${batch.count * batch.sizePx ** 2} values (side a multiple of ${INPUT_MULTIPLE}), got ${batch.inputs.length}`);
    }
    const learningRate = lr0 * Math.pow(lr1 / lr0, step / Math.max(1, options.steps - 1));
    (optimizer as unknown as AdamWithRate).learningRate = learningRate;
    const shape: [number, number, number, number] = [batch.count, batch.sizePx, batch.sizePx, 1];
    const x = tf.tensor4d(batch.inputs, shape);
    const y = tf.tensor4d(batch.heatmaps, shape);
    const lossTensor = optimizer.minimize(() => deepStormLoss(y, model.apply(x, { training: true }) as tf.Tensor4D), true);
    const loss = (await lossTensor!.data())[0];
    tf.dispose([x, y, lossTensor!]);
    losses.push(loss);
    if (!Number.isFinite(loss)) throw new TrainingInputError(`training diverged at step ${step}: loss ${loss}`);
    if (options.onStep?.(step, loss, learningRate) === false) break;
  }
  optimizer.dispose();
  return { model, losses };
}
