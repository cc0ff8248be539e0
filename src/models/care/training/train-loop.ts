import * as tf from '@tensorflow/tfjs';
import { careLoss, type LossKind } from './losses';

/** A batch of square single-channel patches, NHWC flattened. `mask` selects the pixels the loss is taken on. */
export interface TrainingBatch {
  readonly count: number;
  readonly sizePx: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly mask?: Float32Array;
}

export interface TrainingProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** Mean training loss of the epoch so far. */
  readonly loss: number;
  /** Validation loss after the last finished epoch (before training at epoch 0). */
  readonly validationLoss: number;
  readonly bestValidationLoss: number;
  readonly learningRate: number;
  readonly elapsedMs: number;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly validationLoss: number;
  readonly learningRate: number;
}

export interface TrainingHistory {
  readonly initialValidationLoss: number;
  readonly bestValidationLoss: number;
  /** Epoch (1-based) whose weights the model holds at the end; 0 when no epoch beat the initial weights. */
  readonly bestEpoch: number;
  readonly epochs: readonly EpochRecord[];
  readonly steps: number;
  readonly seconds: number;
}

export interface TrainLoopOptions {
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly learningRate: number;
  readonly loss: LossKind;
  readonly nextBatch: () => TrainingBatch;
  readonly validation: readonly TrainingBatch[];
  /** CSBDeep's ReduceLROnPlateau: multiply the rate by `factor` after `patience` epochs without improvement. */
  readonly plateau?: { readonly factor: number; readonly patience: number };
  /** Only these are trained (default: all trainable weights). */
  readonly variables?: tf.Variable[];
  readonly onProgress?: (progress: TrainingProgress) => void;
  /** Cancels between steps: the loop stops and rejects with TrainingCancelledError, the model as it was. */
  readonly signal?: AbortSignal;
  /** Awaited before every step: where training waits while an acquisition has the machine (see TrainingPause). */
  readonly beforeStep?: () => Promise<void>;
  /** Called after every epoch with what resuming needs (awaited, so a checkpoint is on disk before training goes on). */
  readonly onCheckpoint?: (checkpoint: TrainLoopCheckpoint) => void | Promise<void>;
  /** Goes on from a checkpoint of the same loop (same model, data and options): its weights, best weights and rate. */
  readonly resumeFrom?: TrainLoopCheckpoint;
}

/** One weight tensor as plain data, so a checkpoint can cross threads and be written to disk. */
export interface WeightValues {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * The loop's state after an epoch, optimizer-free: Adam's moments restart on resume (they settle within a few
 * steps), everything else (weights, best weights, rate, plateau count, history) is as it was.
 */
export interface TrainLoopCheckpoint {
  readonly epoch: number;
  readonly weights: readonly WeightValues[];
  readonly bestWeights: readonly WeightValues[];
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  readonly initialValidationLoss: number;
  readonly learningRate: number;
  readonly sinceImprovement: number;
  readonly history: readonly EpochRecord[];
  readonly steps: number;
}

export class TrainingCancelledError extends Error {
  override readonly name = 'TrainingCancelledError';
}

const valuesOf = (tensors: readonly tf.Tensor[]): WeightValues[] => tensors.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync()) }));
const tensorsOf = (weights: readonly WeightValues[]): tf.Tensor[] => weights.map((w) => tf.tensor(w.values, [...w.shape]));

const tensorOf = (data: Float32Array, batch: TrainingBatch) => tf.tensor4d(data, [batch.count, batch.sizePx, batch.sizePx, 1]);

/** Mean loss over the validation batches, awaiting `beforeBatch` before each (a validation pass can wait for an acquisition too). */
async function validationLoss(
  model: tf.LayersModel,
  kind: LossKind,
  batches: readonly TrainingBatch[],
  beforeBatch?: () => Promise<void>,
): Promise<number> {
  let total = 0;
  let weight = 0;
  for (const batch of batches) {
    await beforeBatch?.();
    const [loss, w] = weightedBatchLoss(model, kind, batch);
    total += loss * w;
    weight += w;
  }
  return total / weight;
}

/** A batch's loss and its weight in the mean: its masked pixels (Noise2Void) or its patches. */
function weightedBatchLoss(model: tf.LayersModel, kind: LossKind, batch: TrainingBatch): [number, number] {
  const loss = tf.tidy(() => {
    const prediction = model.predict(tensorOf(batch.x, batch)) as tf.Tensor4D;
    return careLoss(kind, prediction, tensorOf(batch.y, batch), batch.mask ? tensorOf(batch.mask, batch) : undefined).dataSync()[0];
  });
  return [loss, batch.mask ? batch.mask.reduce((a, b) => a + b, 0) : batch.count];
}

/**
 * Adam on the given loss, validation after every epoch, the best-validation weights restored at the end
 * (CSBDeep keeps the best checkpoint the same way). Yields to the event loop between steps.
 */
export async function trainLoop(model: tf.LayersModel, options: TrainLoopOptions): Promise<TrainingHistory> {
  const started = Date.now();
  const resume = options.resumeFrom;
  const optimizer = tf.train.adam(resume?.learningRate ?? options.learningRate);
  const settable = optimizer as unknown as { learningRate: number };
  if (resume) {
    const restored = tensorsOf(resume.weights);
    model.setWeights(restored);
    restored.forEach((w) => w.dispose());
  }
  const validate = () => validationLoss(model, options.loss, options.validation, options.beforeStep);
  const initial = resume?.initialValidationLoss ?? (await validate());
  let best = resume?.bestValidationLoss ?? initial;
  let bestEpoch = resume?.bestEpoch ?? 0;
  let bestWeights: tf.Tensor[] = resume ? tensorsOf(resume.bestWeights) : model.getWeights().map((w) => w.clone());
  let sinceImprovement = resume?.sinceImprovement ?? 0;
  const epochs: EpochRecord[] = [...(resume?.history ?? [])];
  let steps = resume?.steps ?? 0;
  const throwIfCancelled = () => {
    if (options.signal?.aborted) throw new TrainingCancelledError(`training cancelled after ${steps} steps (epoch ${epochs.length} done)`);
  };
  try {
    for (let epoch = (resume?.epoch ?? 0) + 1; epoch <= options.epochs; epoch++) {
      let lossSum = 0;
      for (let step = 1; step <= options.stepsPerEpoch; step++) {
        throwIfCancelled();
        if (options.beforeStep) {
          await options.beforeStep();
          throwIfCancelled();
        }
        const batch = options.nextBatch();
        const cost = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const prediction = model.apply(tensorOf(batch.x, batch), { training: true }) as tf.Tensor4D;
              return careLoss(options.loss, prediction, tensorOf(batch.y, batch), batch.mask ? tensorOf(batch.mask, batch) : undefined);
            }),
          true,
          options.variables,
        );
        lossSum += cost!.dataSync()[0];
        cost!.dispose();
        steps++;
        options.onProgress?.({
          epoch,
          epochs: options.epochs,
          step,
          stepsPerEpoch: options.stepsPerEpoch,
          loss: lossSum / step,
          validationLoss: epochs.at(-1)?.validationLoss ?? initial,
          bestValidationLoss: best,
          learningRate: settable.learningRate,
          elapsedMs: Date.now() - started,
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
      const validation = await validate();
      epochs.push({ epoch, loss: lossSum / options.stepsPerEpoch, validationLoss: validation, learningRate: settable.learningRate });
      if (validation < best) {
        best = validation;
        bestEpoch = epoch;
        sinceImprovement = 0;
        bestWeights.forEach((w) => w.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
      } else if (options.plateau && ++sinceImprovement >= options.plateau.patience) {
        settable.learningRate *= options.plateau.factor;
        sinceImprovement = 0;
      }
      await options.onCheckpoint?.({
        epoch,
        weights: valuesOf(model.getWeights()),
        bestWeights: valuesOf(bestWeights),
        bestEpoch,
        bestValidationLoss: best,
        initialValidationLoss: initial,
        learningRate: settable.learningRate,
        sinceImprovement,
        history: [...epochs],
        steps,
      });
    }
    if (bestEpoch !== options.epochs) model.setWeights(bestWeights);
  } finally {
    bestWeights.forEach((w) => w.dispose());
    optimizer.dispose();
  }
  return { initialValidationLoss: initial, bestValidationLoss: best, bestEpoch, epochs, steps, seconds: (Date.now() - started) / 1000 };
}
