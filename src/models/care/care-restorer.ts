import { Float32Pool } from '../runtime/float32-pool';
import type { InferenceRuntime, Nhwc } from '../runtime/inference-runtime';
import { ModelInputShapeError } from '../store/model-errors';
import { receptiveFieldRadiusPx, sizeMultiple, type CareConfig } from './care-config';
import { LAPLACE_SCALE_EPS } from './care-network';
import { checkInput, measureInput, type InputCheck, type TrainingFingerprint } from './input-check';
import { applyCalibration, inputPsnrDb, type QualityCalibration } from './quality-calibration';
import { normalize, NORMALIZATION_EPS, percentileRange, type NormalizationSettings, type PercentileRange } from './normalization';
import { predictTiled, type InterleavedImage, type TilingOptions } from './tiling';

/**
 * Restores frames with a CARE network: percentile normalisation, tiled prediction, and an uncertainty map per
 * frame, either the network's own Laplace scale (one pass; probabilistic models) or the disagreement of a small
 * test-time ensemble (the frame, flipped left-right, up-down and both: four passes).
 */

export type UncertaintyMethod = 'laplace' | 'flip-ensemble';

export interface RestorationQuality {
  readonly uncertaintyMethod: UncertaintyMethod;
  /** Root mean square of the uncertainty map (predicted error, standard deviation), in input units. */
  readonly predictedRmse: number;
  /** The same relative to the input's percentile range (the normalised units' 0–1). */
  readonly predictedNrmse: number;
  /**
   * Predicted peak signal-to-noise ratio of the restored frame against the clean one, dB: −20·log10(NRMSE) of the
   * uncertainty map, mapped by the package's calibration (fitted on held-out pairs) where it has one.
   */
  readonly predictedPsnrDb: number;
  /** Whether predictedPsnrDb went through a calibration; without one it is the network's raw figure. */
  readonly psnrCalibrated: boolean;
  /** The network's own figure before calibration, dB. */
  readonly uncalibratedPsnrDb: number;
  /** The frame against the model's training-data fingerprint (absent for models without one). */
  readonly inputCheck?: InputCheck;
  /** Share of pixels whose predicted error exceeds 10 % of the range: where not to trust the restoration. */
  readonly uncertainFraction: number;
  readonly normalization: PercentileRange;
}

export interface Restoration {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Restored frame, in the input's units. */
  readonly restored: Float32Array;
  /** Predicted error (standard deviation) per pixel, in the input's units. */
  readonly uncertainty: Float32Array;
  readonly quality: RestorationQuality;
}

export interface RestorerOptions {
  readonly maxTilePx?: number;
  readonly blendPx?: number;
  readonly uncertainty?: 'auto' | UncertaintyMethod;
}

export const DEFAULT_MAX_TILE_PX = 1024;
const UNCERTAIN_NRMSE = 0.1;

/** What the model's package says about its inputs and its quality figure (config.scope). */
export interface RestorerPackage {
  readonly trainingFingerprint?: TrainingFingerprint;
  readonly qualityCalibration?: QualityCalibration;
}

function flip(source: Float32Array, heightPx: number, widthPx: number, flipY: boolean, flipX: boolean, out: Float32Array): void {
  for (let y = 0; y < heightPx; y++) {
    const sy = flipY ? heightPx - 1 - y : y;
    for (let x = 0; x < widthPx; x++) out[y * widthPx + x] = source[sy * widthPx + (flipX ? widthPx - 1 - x : x)];
  }
}

const FLIPS: ReadonlyArray<readonly [boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

export interface RestoreOptions {
  /** Progress: tiles done, tiles in all. */
  readonly onTile?: (done: number, total: number) => void;
  /**
   * A restoration of the same size whose planes are overwritten and returned, instead of two fresh frame-sized
   * arrays: for loops over a stack that are done with each plane before the next (32 MB a 2048² frame, whose
   * first touch costs page faults; ~60–120 ms on our build machine).
   */
  readonly into?: RestorationPlanes;
}

export type RestorationPlanes = Pick<Restoration, 'restored' | 'uncertainty'>;

const overlap = (a: Float32Array, b: Float32Array) =>
  a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;

function outputPlanes(area: number, widthPx: number, heightPx: number, into: RestorationPlanes | undefined): RestorationPlanes {
  if (!into) return { restored: new Float32Array(area), uncertainty: new Float32Array(area) };
  if (into.restored.length !== area || into.uncertainty.length !== area || overlap(into.restored, into.uncertainty)) {
    throw new ModelInputShapeError(
      `cannot restore a ${widthPx}×${heightPx} frame into planes of ${into.restored.length} and ${into.uncertainty.length} pixels (two separate planes of ${area} are needed)`,
    );
  }
  return into;
}

/** One pass from the network's units to the frame's: mean → restored, spread → standard deviation → uncertainty. */
function toFrameUnits(data: Float32Array, range: PercentileRange, laplace: boolean, area: number, { restored, uncertainty }: RestorationPlanes) {
  const scale = range.high - range.low + NORMALIZATION_EPS;
  const low = range.low;
  let sumSq = 0;
  let uncertain = 0;
  for (let i = 0; i < area; i++) {
    restored[i] = data[2 * i] * scale + low;
    const sd = laplace ? Math.SQRT2 * (data[2 * i + 1] + LAPLACE_SCALE_EPS) : data[2 * i + 1];
    uncertainty[i] = sd * scale;
    sumSq += sd * sd;
    if (sd > UNCERTAIN_NRMSE) uncertain++;
  }
  return { restored, uncertainty, sumSq, uncertain };
}

export class CareRestorer {
  readonly uncertaintyMethod: UncertaintyMethod;
  private readonly tiling: TilingOptions;
  private readonly buffers = new Float32Pool();

  constructor(
    private readonly runtime: InferenceRuntime,
    architecture: CareConfig,
    private readonly normalization: NormalizationSettings,
    options: RestorerOptions = {},
    private readonly checkShape: (shape: Nhwc) => void = () => undefined,
    private readonly modelPackage: RestorerPackage = {},
  ) {
    const wanted = options.uncertainty ?? 'auto';
    if (wanted === 'laplace' && !architecture.probabilistic) throw new ModelInputShapeError('this CARE model has no Laplace scale output; use the flip-ensemble uncertainty');
    this.uncertaintyMethod = wanted === 'auto' ? (architecture.probabilistic ? 'laplace' : 'flip-ensemble') : wanted;
    this.tiling = {
      maxTilePx: options.maxTilePx ?? DEFAULT_MAX_TILE_PX,
      contextPx: receptiveFieldRadiusPx(architecture),
      blendPx: options.blendPx ?? 8,
      multiple: sizeMultiple(architecture),
    };
  }

  /**
   * One tile's prediction, two channels interleaved (normalised units): the mean, and for 'laplace' the network's
   * Laplace scale as it comes (turned into a standard deviation after blending, where it is linear), for
   * 'flip-ensemble' the ensemble's standard deviation.
   */
  private async predictTile(tile: Float32Array, heightPx: number, widthPx: number): Promise<InterleavedImage> {
    const area = heightPx * widthPx;
    if (this.uncertaintyMethod === 'laplace') {
      const shape: Nhwc = [1, heightPx, widthPx, 1];
      this.checkShape(shape);
      const { data, shape: outShape } = await this.runtime.predict(tile, shape);
      if (outShape[3] !== 2) throw new ModelInputShapeError(`a Laplace CARE network gives 2 channels (mean, scale); this one gave ${outShape[3]}`);
      return { data, channels: 2 };
    }
    const batch = new Float32Array(FLIPS.length * area);
    FLIPS.forEach(([fy, fx], m) => flip(tile, heightPx, widthPx, fy, fx, batch.subarray(m * area, (m + 1) * area)));
    const shape: Nhwc = [FLIPS.length, heightPx, widthPx, 1];
    this.checkShape(shape);
    const { data, shape: outShape } = await this.runtime.predict(batch, shape);
    const channels = outShape[3];
    const member = new Float32Array(area);
    const unflipped = new Float32Array(area);
    const sum = new Float64Array(area);
    const sumSq = new Float64Array(area);
    FLIPS.forEach(([fy, fx], m) => {
      for (let i = 0; i < area; i++) member[i] = data[(m * area + i) * channels];
      flip(member, heightPx, widthPx, fy, fx, unflipped);
      for (let i = 0; i < area; i++) {
        sum[i] += unflipped[i];
        sumSq[i] += unflipped[i] * unflipped[i];
      }
    });
    const n = FLIPS.length;
    const out = new Float32Array(2 * area);
    for (let i = 0; i < area; i++) {
      out[2 * i] = sum[i] / n;
      out[2 * i + 1] = Math.sqrt(Math.max(0, (sumSq[i] - (sum[i] * sum[i]) / n) / (n - 1)));
    }
    return { data: out, channels: 2 };
  }

  async restore(pixels: ArrayLike<number>, widthPx: number, heightPx: number, { onTile, into }: RestoreOptions = {}): Promise<Restoration> {
    if (!Number.isInteger(widthPx) || !Number.isInteger(heightPx) || widthPx < 1 || heightPx < 1) {
      throw new ModelInputShapeError(`frame size must be positive integers, got ${widthPx}×${heightPx}`);
    }
    if (pixels.length !== widthPx * heightPx) {
      throw new ModelInputShapeError(`frame of ${pixels.length} pixels is not ${widthPx}×${heightPx} (a single 2-D plane is expected)`);
    }
    const area = widthPx * heightPx;
    const planes = outputPlanes(area, widthPx, heightPx, into);
    const range = percentileRange(pixels, this.normalization);
    // the normalised frame, the tile copies and the blended tiles live only inside this call: their buffers are
    // reused frame after frame (taken from the pool, so concurrent calls never share one), sparing the collector
    // and the page-fault handler ~60 MB a 2048² frame
    const normalized = normalize(pixels, range, this.buffers.take(pixels.length));
    const { data } = await predictTiled(normalized, heightPx, widthPx, (t, h, w) => this.predictTile(t, h, w), this.tiling, onTile, this.buffers).finally(() =>
      this.buffers.give(normalized),
    );
    const { restored, uncertainty, sumSq, uncertain } = toFrameUnits(data, range, this.uncertaintyMethod === 'laplace', area, planes);
    this.buffers.give(data);
    const nrmse = Math.sqrt(sumSq / area);
    const uncalibratedPsnrDb = -20 * Math.log10(Math.max(nrmse, 1e-12));
    const { trainingFingerprint, qualityCalibration } = this.modelPackage;
    // the estimates cost a few ms (sampled pixels) and only models that carry a fingerprint or calibration pay them
    const statistics = trainingFingerprint || qualityCalibration ? measureInput(pixels, widthPx, heightPx, range) : undefined;
    const predictedPsnrDb =
      qualityCalibration && statistics
        ? applyCalibration(qualityCalibration, { predictedPsnrDb: uncalibratedPsnrDb, inputPsnrDb: inputPsnrDb(statistics.normalizedNoise), peakPhotons: statistics.peakPhotons })
        : uncalibratedPsnrDb;
    return {
      widthPx,
      heightPx,
      restored,
      uncertainty,
      quality: {
        uncertaintyMethod: this.uncertaintyMethod,
        predictedRmse: nrmse * (range.high - range.low),
        predictedNrmse: nrmse,
        predictedPsnrDb,
        psnrCalibrated: !!(qualityCalibration && statistics),
        uncalibratedPsnrDb,
        ...(trainingFingerprint && statistics ? { inputCheck: checkInput(statistics, trainingFingerprint) } : {}),
        uncertainFraction: uncertain / area,
        normalization: range,
      },
    };
  }
}
