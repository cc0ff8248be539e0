/**
 * What the phototoxicity predictor sees of a field: recent frames and the light that was given, never the
 * simulator's truth. Features describe one square region (a cell's neighbourhood or a tile of the field): how
 * much light it had and how intensely (dose history, weighted towards recent light, as cells repair), and the
 * visible signs of stress in the images (dimming per unit light, shrinking outlines, lost fibre texture, stillness).
 */
import { pixelQuantile } from '../stats/order-statistics';
import { frameReader, lastChange, regionPixels, regionStats, type FrameReader } from './phototox-region-stats';

export interface ObservedFrame {
  readonly pixels: ArrayLike<number>;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly exposureMs: number;
  /** Illumination power when it was taken, % of the source's full scale. */
  readonly powerPercent: number;
  readonly timeS: number;
}

/** One exposure's light, as the agent booked it. */
export interface DoseEvent {
  readonly timeS: number;
  readonly powerPercent: number;
  readonly exposureMs: number;
}

export interface Region {
  readonly x0Px: number;
  readonly y0Px: number;
  readonly sizePx: number;
}

export const PHOTOTOX_FEATURE_NAMES = [
  'log_dose',
  'log_recent_weighted_dose',
  'centre_distance2',
  'brightness_ratio',
  'area_ratio',
  'texture_ratio',
  'stillness',
] as const;

/** How the history is weighted; part of the model (saved with it) so training and use agree. */
export interface FeatureSettings {
  readonly repairTimeS: number;
  readonly doseRateReferencePercent: number;
}

export const DEFAULT_FEATURE_SETTINGS: FeatureSettings = { repairTimeS: 3600, doseRateReferencePercent: 25 };

/** Background level and photometric scale of a frame: signal per unit of light (ADU per %·s). */
export function framePhotometry(frame: ObservedFrame): { backgroundAdu: number; perDose: number } {
  // the 5th percentile by counting (camera frames), remembered with the frame: no sort of the whole frame
  const backgroundAdu = pixelQuantile(frame.pixels, 0.05);
  const dose = frame.powerPercent * (frame.exposureMs / 1000);
  return { backgroundAdu, perDose: dose > 0 ? 1 / dose : NaN };
}

/**
 * What every region of one field shares: the dose history summed once and each frame's photometry once. Build it
 * once per field (`featureContext`), then ask `featuresIn` per region.
 */
export interface FeatureContext {
  readonly frames: readonly ObservedFrame[];
  readonly dose: number;
  readonly weightedDose: number;
  /** Each frame with its photometry, value table and remembered region statistics. */
  readonly readers: readonly FrameReader[];
}

export function featureContext(
  frames: readonly ObservedFrame[],
  doses: readonly DoseEvent[],
  settings: FeatureSettings = DEFAULT_FEATURE_SETTINGS,
): FeatureContext {
  const nowS = frames[frames.length - 1].timeS;
  let dose = 0;
  let weightedDose = 0;
  for (const d of doses) {
    const amount = d.powerPercent * (d.exposureMs / 1000);
    dose += amount;
    weightedDose +=
      amount * (1 + d.powerPercent / settings.doseRateReferencePercent) * Math.exp(-Math.max(0, nowS - d.timeS) / settings.repairTimeS);
  }
  return { frames, dose, weightedDose, readers: frames.map((frame) => frameReader(frame, framePhotometry(frame))) };
}

/** The features of one region of the context's field (the same numbers as `regionFeatures`). */
export function featuresIn(context: FeatureContext, region: Region): number[] {
  const { frames, readers } = context;
  const last = frames.length - 1;
  const newest = frames[last];
  const cx = (region.x0Px + region.sizePx / 2) / newest.widthPx - 0.5;
  const cy = (region.y0Px + region.sizePx / 2) / newest.heightPx - 0.5;
  const previousAt = frames.length > 1 ? last - 1 : last;
  const now = regionStats(readers[last], region, readers[previousAt]);
  const change = lastChange();
  const then = regionStats(readers[0], region);
  const before = regionStats(readers[previousAt], region);
  const count = regionPixels(newest, region);
  const scale = Math.max(1e-9, Math.abs(now.meanSignal) + Math.abs(before.meanSignal));
  return [
    Math.log1p(context.dose),
    Math.log1p(context.weightedDose),
    cx * cx + cy * cy,
    safeRatio(now.meanSignal, then.meanSignal),
    safeRatio(now.foreground, then.foreground),
    safeRatio(now.texture / Math.max(1e-9, Math.abs(now.meanSignal)), then.texture / Math.max(1e-9, Math.abs(then.meanSignal))),
    frames.length > 1 ? 1 - Math.min(1, change / count / scale) : 0.5,
  ];
}

/**
 * Features of `region` from `frames` (oldest first, the newest last; two or more give the image-change signs)
 * and `doses` (every exposure so far, including those of the frames). NaN where the frames cannot tell (no light).
 */
export function regionFeatures(
  frames: readonly ObservedFrame[],
  doses: readonly DoseEvent[],
  region: Region,
  settings: FeatureSettings = DEFAULT_FEATURE_SETTINGS,
): number[] {
  return featuresIn(featureContext(frames, doses, settings), region);
}

function safeRatio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return NaN;
  const r = a / (Math.abs(b) > 1e-9 ? b : 1e-9);
  return Math.max(0, Math.min(3, r));
}
