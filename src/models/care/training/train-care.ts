import type * as tf from '@tensorflow/tfjs';
import { initTfjsBackend, type TfjsBackendReport } from '../../runtime/tfjs-backend';
import type { CareConfig } from '../care-config';
import { buildCareNetwork, LAPLACE_SCALE_LAYER } from '../care-network';
import { CSBDEEP_PERCENTILES, normalizeByPercentiles, type NormalizationSettings } from '../normalization';
import { AugmentedBatches, validationBatches } from './batches';
import { DEFAULT_BLIND_SPOT, type BlindSpotOptions } from './blind-spot';
import { resolveBlindSpot } from './noise-check';
import type { LossKind } from './losses';
import { extractPatches, splitPatches, TrainingDataError, type TrainingImage } from './patches';
import { SeededRandom } from './seeded-random';
import { trainLoop, type TrainingHistory, type TrainingProgress, type TrainLoopCheckpoint } from './train-loop';

/** A 2-D image in its own units (camera ADU, photons, …), as read from a file or rendered by the simulator. */
export interface RawImage {
  readonly pixels: ArrayLike<number>;
  readonly widthPx: number;
  readonly heightPx: number;
}

export interface CareTrainingOptions {
  readonly architecture: CareConfig;
  readonly seed: number;
  readonly patchPx: number;
  readonly patchesPerImage: number;
  readonly validationFraction: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly learningRate: number;
  readonly normalization?: NormalizationSettings;
  /** Loss of the restored image: CSBDeep's 'mae' by default ('mse' for Noise2Void, as n2v does). */
  readonly loss?: 'mae' | 'mse';
  /**
   * Probabilistic networks: epochs of the second phase, which trains the Laplace scale head alone on the frozen
   * network (default: a fifth of `epochs`, at least one).
   */
  readonly calibrationEpochs?: number;
  /** Adam's rate for the scale head alone (default 0.05: a 1×1 convolution, far from its initial value). */
  readonly calibrationLearningRate?: number;
  readonly onProgress?: (progress: CareTrainingProgress) => void;
  /** Cancel: training stops between steps with TrainingCancelledError. */
  readonly signal?: AbortSignal;
  /** Awaited before every training step (the service's pause while an acquisition runs). */
  readonly beforeStep?: () => Promise<void>;
  /** After every epoch of either phase: what `resumeFrom` needs to go on from there. */
  readonly onCheckpoint?: (checkpoint: CareCheckpoint) => void | Promise<void>;
  /** A checkpoint of a training with the same options and data. */
  readonly resumeFrom?: CareCheckpoint;
  /** Fine-tuning: go on from this network (same architecture) instead of a freshly initialised one; it is trained in place. */
  readonly initialModel?: tf.LayersModel;
}

/** A training's state after an epoch: the phase, the loop's state, and the finished restoration phase's history. */
export interface CareCheckpoint {
  readonly phase: 'restoration' | 'uncertainty';
  readonly loop: TrainLoopCheckpoint;
  readonly restoration?: TrainingHistory;
}

export interface CareTrainingProgress extends TrainingProgress {
  /** 'restoration': the network on the restored image; 'uncertainty': the Laplace scale head alone. */
  readonly phase: 'restoration' | 'uncertainty';
  /** Steps done and to do over both phases. */
  readonly stepsDone: number;
  readonly stepsTotal: number;
}

export interface SelfSupervisedOptions extends CareTrainingOptions {
  readonly blindSpot?: BlindSpotOptions;
}

export interface CareTrainingResult {
  readonly model: tf.LayersModel;
  readonly history: TrainingHistory;
  /** The uncertainty phase of probabilistic networks. */
  readonly calibration: TrainingHistory | null;
  readonly loss: LossKind;
  readonly backend: TfjsBackendReport;
  readonly patches: { readonly training: number; readonly validation: number };
  /** Noise2Void: the blind spot it trained with (structN2V's mask as the noise check resolved it). */
  readonly blindSpot?: BlindSpotOptions;
}

function toTrainingImage(image: RawImage, settings: NormalizationSettings, what: string): TrainingImage {
  if (image.pixels.length !== image.widthPx * image.heightPx) {
    throw new TrainingDataError(`${what}: ${image.pixels.length} pixels is not ${image.widthPx}×${image.heightPx}`);
  }
  return { pixels: normalizeByPercentiles(image.pixels, settings).normalized, widthPx: image.widthPx, heightPx: image.heightPx };
}

function checkOptions(options: CareTrainingOptions): void {
  const multiple = 2 ** options.architecture.depth;
  if (options.patchPx % multiple !== 0) throw new TrainingDataError(`patch size ${options.patchPx} must be a multiple of ${multiple} (2^depth)`);
  if (!(options.validationFraction > 0 && options.validationFraction < 1)) throw new TrainingDataError(`validation fraction must be within (0, 1), got ${options.validationFraction}`);
}

async function run(
  options: CareTrainingOptions,
  pairs: ReadonlyArray<{ source: TrainingImage; target: TrainingImage }>,
  loss: LossKind,
  blindSpot?: BlindSpotOptions,
): Promise<CareTrainingResult> {
  const backend = await initTfjsBackend();
  const random = new SeededRandom(options.seed);
  const all = extractPatches(pairs, { patchPx: options.patchPx, patchesPerImage: options.patchesPerImage, foregroundThreshold: blindSpot ? 0 : 0.4 }, random);
  const { training, validation } = splitPatches(all, options.validationFraction, random);
  const model = options.initialModel ?? buildCareNetwork(options.architecture, options.seed);
  const batches = new AugmentedBatches(training, options.batchSize, random, blindSpot);
  const validationSet = validationBatches(validation, options.batchSize, new SeededRandom(options.seed + 1), blindSpot);
  const calibrationEpochs = options.architecture.probabilistic ? (options.calibrationEpochs ?? Math.max(1, Math.round(options.epochs / 5))) : 0;
  const stepsTotal = (options.epochs + calibrationEpochs) * options.stepsPerEpoch;
  const report = (phase: CareTrainingProgress['phase'], offset: number) => (p: TrainingProgress) =>
    options.onProgress?.({ ...p, phase, stepsDone: offset + (p.epoch - 1) * p.stepsPerEpoch + p.step, stepsTotal });
  const resume = options.resumeFrom;
  const hooks = (phase: CareCheckpoint['phase'], restoration?: TrainingHistory) => ({
    signal: options.signal,
    beforeStep: options.beforeStep,
    onCheckpoint: options.onCheckpoint && ((loop: TrainLoopCheckpoint) => options.onCheckpoint!({ phase, loop, ...(restoration ? { restoration } : {}) })),
    resumeFrom: resume?.phase === phase ? resume.loop : undefined,
  });
  try {
    const history =
      resume?.phase === 'uncertainty' && resume.restoration
        ? resume.restoration
        : await trainLoop(model, {
            ...hooks('restoration'),
      epochs: options.epochs,
      stepsPerEpoch: options.stepsPerEpoch,
      learningRate: options.learningRate,
      loss,
      nextBatch: () => batches.next(),
      validation: validationSet,
      plateau: { factor: 0.5, patience: Math.max(2, Math.round(options.epochs / 10)) },
      onProgress: report('restoration', 0),
          });
    const calibration = calibrationEpochs
      ? await trainLoop(model, {
          ...hooks('uncertainty', history),
          epochs: calibrationEpochs,
          stepsPerEpoch: options.stepsPerEpoch,
          learningRate: options.calibrationLearningRate ?? 0.05,
          loss: 'laplace-scale',
          variables: model.getLayer(LAPLACE_SCALE_LAYER).trainableWeights.map((w) => w.read() as tf.Variable),
          nextBatch: () => batches.next(),
          validation: validationSet,
          onProgress: report('uncertainty', options.epochs * options.stepsPerEpoch),
        })
      : null;
    return { model, history, calibration, loss, backend, patches: { training: training.count, validation: validation.count } };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** CARE (Weigert et al. 2018): supervised training on pairs of low-dose (source) and high-dose (target) images. */
export function trainCareSupervised(pairs: ReadonlyArray<{ source: RawImage; target: RawImage }>, options: CareTrainingOptions): Promise<CareTrainingResult> {
  checkOptions(options);
  if (pairs.length === 0) throw new TrainingDataError('no training pairs');
  const settings = options.normalization ?? CSBDEEP_PERCENTILES;
  const normalized = pairs.map((p, i) => ({ source: toTrainingImage(p.source, settings, `pair ${i} source`), target: toTrainingImage(p.target, settings, `pair ${i} target`) }));
  return run(options, normalized, options.loss ?? 'mae');
}

/**
 * Noise2Void (Krull et al. 2019): self-supervised training on noisy images alone, by blind-spot masking (N2V's own
 * configuration turns CARE's residual connection off; see SELF_SUPERVISED_CARE_CONFIG).
 */
export function trainNoise2Void(frames: readonly RawImage[], options: SelfSupervisedOptions): Promise<CareTrainingResult> {
  checkOptions(options);
  if (frames.length === 0) throw new TrainingDataError('no noisy frames');
  const settings = options.normalization ?? CSBDEEP_PERCENTILES;
  const normalized = frames.map((f, i) => {
    const image = toTrainingImage(f, settings, `frame ${i}`);
    return { source: image, target: image };
  });
  const blindSpot = resolveBlindSpot(options.blindSpot ?? DEFAULT_BLIND_SPOT, normalized.map((n) => n.source));
  return run(options, normalized, options.loss ?? 'mse', blindSpot).then((result) => ({ ...result, blindSpot }));
}
