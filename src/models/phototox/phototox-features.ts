/**
 * What the phototoxicity predictor sees of a field: recent frames and the light that was given, never the
 * simulator's truth. Features describe one square region (a cell's neighbourhood or a tile of the field): how
 * much light it had and how intensely (dose history, weighted towards recent light, as cells repair), and the
 * visible signs of stress in the images (dimming per unit light, shrinking outlines, lost fibre texture, stillness).
 */

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
  const sorted = Float32Array.from(frame.pixels).sort();
  const backgroundAdu = sorted[Math.floor(sorted.length * 0.05)];
  const dose = frame.powerPercent * (frame.exposureMs / 1000);
  return { backgroundAdu, perDose: dose > 0 ? 1 / dose : NaN };
}

interface RegionStats {
  readonly meanSignal: number;
  readonly foreground: number;
  readonly texture: number;
}

function regionStats(frame: ObservedFrame, region: Region, photometry: { backgroundAdu: number; perDose: number }): RegionStats & { values: Float32Array } {
  const { widthPx, heightPx } = frame;
  const x0 = Math.max(0, Math.min(widthPx - 1, region.x0Px));
  const y0 = Math.max(0, Math.min(heightPx - 1, region.y0Px));
  const x1 = Math.min(widthPx, x0 + region.sizePx);
  const y1 = Math.min(heightPx, y0 + region.sizePx);
  const w = x1 - x0;
  const values = new Float32Array(w * (y1 - y0));
  let k = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) values[k++] = (frame.pixels[y * widthPx + x] - photometry.backgroundAdu) * photometry.perDose;
  }
  let sum = 0;
  for (const v of values) sum += v;
  const meanSignal = sum / values.length;
  let foreground = 0;
  let texture = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > meanSignal * 0.5) foreground++;
    if (i % w > 0) texture += Math.abs(values[i] - values[i - 1]);
  }
  return { meanSignal, foreground: foreground / values.length, texture: texture / values.length, values };
}

/**
 * Features of `region` from `frames` (oldest first, the newest last; two or more give the image-change signs)
 * and `doses` (every exposure so far, including those of the frames). NaN where the frames cannot tell (no light).
 */
export function regionFeatures(frames: readonly ObservedFrame[], doses: readonly DoseEvent[], region: Region, settings: FeatureSettings = DEFAULT_FEATURE_SETTINGS): number[] {
  const newest = frames[frames.length - 1];
  const nowS = newest.timeS;
  let dose = 0;
  let weighted = 0;
  for (const d of doses) {
    const amount = d.powerPercent * (d.exposureMs / 1000);
    dose += amount;
    weighted += amount * (1 + d.powerPercent / settings.doseRateReferencePercent) * Math.exp(-Math.max(0, nowS - d.timeS) / settings.repairTimeS);
  }
  const cx = (region.x0Px + region.sizePx / 2) / newest.widthPx - 0.5;
  const cy = (region.y0Px + region.sizePx / 2) / newest.heightPx - 0.5;
  const photometryNow = framePhotometry(newest);
  const now = regionStats(newest, region, photometryNow);
  const first = frames[0];
  const then = regionStats(first, region, framePhotometry(first));
  const previous = frames.length > 1 ? frames[frames.length - 2] : newest;
  const before = regionStats(previous, region, framePhotometry(previous));
  let change = 0;
  for (let i = 0; i < now.values.length; i++) change += Math.abs(now.values[i] - before.values[i]);
  const scale = Math.max(1e-9, Math.abs(now.meanSignal) + Math.abs(before.meanSignal));
  return [
    Math.log1p(dose),
    Math.log1p(weighted),
    cx * cx + cy * cy,
    safeRatio(now.meanSignal, then.meanSignal),
    safeRatio(now.foreground, then.foreground),
    safeRatio(now.texture / Math.max(1e-9, Math.abs(now.meanSignal)), then.texture / Math.max(1e-9, Math.abs(then.meanSignal))),
    frames.length > 1 ? 1 - Math.min(1, change / now.values.length / scale) : 0.5,
  ];
}

function safeRatio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return NaN;
  const r = a / (Math.abs(b) > 1e-9 ? b : 1e-9);
  return Math.max(0, Math.min(3, r));
}
