/**
 * What the phototoxicity predictor sees of a field: recent frames and the light that was given, never the
 * simulator's truth. Features describe one square region (a cell's neighbourhood or a tile of the field): how
 * much light it had and how intensely (dose history, weighted towards recent light, as cells repair), of which
 * colour (a literature prior per wavelength), how much of it reached the region itself (the illumination's
 * flat-field profile), and the visible signs of stress in the images (dimming per unit light, shrinking outlines,
 * lost fibre texture, stillness). The dose history is summed once per field; each region adds O(1) to that.
 */
import { pixelQuantile } from '../stats/order-statistics';
import { frameReader, lastChange, regionPixels, regionStats, type FrameReader } from './phototox-region-stats';
import { wavelengthToxicity } from './wavelength-toxicity';

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
  /** Excitation wavelength; absent: the model's `defaultWavelengthNm` (what a frame without it most likely had). */
  readonly wavelengthNm?: number;
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
  /** log of the dose-weighted mean toxicity prior of the light given (wavelength-toxicity.ts); 0 for 488 nm. */
  'log_wavelength_toxicity',
  /** Cumulative dose at the region: the field's dose × the flat-field profile there. */
  'log_region_dose',
  /** The region's dose weighted by wavelength, intensity and repair (as `log_recent_weighted_dose`, per region). */
  'log_region_toxic_dose',
  /** Power at the region during the newest exposure, % of full scale (the dose rate while lit). */
  'log_region_power',
  /** Dose at the region over the last `rateWindowS`, per hour (the dose rate over time: gaps allow repair). */
  'log_region_dose_per_hour',
] as const;

export type PhototoxFeatureName = (typeof PHOTOTOX_FEATURE_NAMES)[number];

/** The features of format 1 models (phototox-logistic/1): the first seven, without wavelength and region dose. */
export const PHOTOTOX_V1_FEATURE_NAMES: readonly PhototoxFeatureName[] = PHOTOTOX_FEATURE_NAMES.slice(0, 7);

/** How the history is weighted; part of the model (saved with it) so training and use agree. */
export interface FeatureSettings {
  readonly repairTimeS: number;
  readonly doseRateReferencePercent: number;
  /** Wavelength of dose events that carry none, nm. */
  readonly defaultWavelengthNm?: number;
  /**
   * The illumination's flat-field profile, a Gaussian of this sigma relative to the field side (measured once per
   * microscope, e.g. on a dye slide); absent: even illumination.
   */
  readonly flatFieldSigmaFraction?: number;
  /** The window of `log_region_dose_per_hour`, s. */
  readonly rateWindowS?: number;
}

export const DEFAULT_FEATURE_SETTINGS: FeatureSettings = {
  repairTimeS: 3600,
  doseRateReferencePercent: 25,
  defaultWavelengthNm: 488,
  flatFieldSigmaFraction: 0.6,
  rateWindowS: 1800,
};

/** Where each of `names` sits in the full feature vector; throws on a name this code does not compute. */
export function featureColumns(names: readonly string[]): number[] {
  return names.map((name) => {
    const at = (PHOTOTOX_FEATURE_NAMES as readonly string[]).indexOf(name);
    if (at < 0) throw new RangeError(`unknown phototox feature "${name}" (known: ${PHOTOTOX_FEATURE_NAMES.join(', ')})`);
    return at;
  });
}

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
  /** Σ toxicity prior × dose / Σ dose (the prior of the default wavelength without dose). */
  readonly wavelengthToxicity: number;
  /** Dose weighted by wavelength, intensity and repair, at full irradiance (flat-field 1). */
  readonly toxicDose: number;
  /** The newest dose event's power, %. */
  readonly lastPowerPercent: number;
  /** Dose within the rate window, per hour, at full irradiance. */
  readonly recentDosePerHour: number;
  readonly settings: FeatureSettings;
  /** Each frame with its photometry, value table and remembered region statistics. */
  readonly readers: readonly FrameReader[];
}

export function featureContext(
  frames: readonly ObservedFrame[],
  doses: readonly DoseEvent[],
  settings: FeatureSettings = DEFAULT_FEATURE_SETTINGS,
): FeatureContext {
  const nowS = frames[frames.length - 1].timeS;
  const defaultNm = settings.defaultWavelengthNm ?? DEFAULT_FEATURE_SETTINGS.defaultWavelengthNm!;
  const windowS = settings.rateWindowS ?? DEFAULT_FEATURE_SETTINGS.rateWindowS!;
  let dose = 0;
  let weightedDose = 0;
  let toxicAmount = 0;
  let toxicDose = 0;
  let recentDose = 0;
  for (const d of doses) {
    const amount = d.powerPercent * (d.exposureMs / 1000);
    const ageS = Math.max(0, nowS - d.timeS);
    const recentWeighted = amount * (1 + d.powerPercent / settings.doseRateReferencePercent) * Math.exp(-ageS / settings.repairTimeS);
    // a wavelength the source could not tell (absent, NaN, 0) counts as the default one
    const toxicity = wavelengthToxicity(d.wavelengthNm !== undefined && d.wavelengthNm > 0 && Number.isFinite(d.wavelengthNm) ? d.wavelengthNm : defaultNm);
    dose += amount;
    weightedDose += recentWeighted;
    toxicAmount += toxicity * amount;
    toxicDose += toxicity * recentWeighted;
    if (ageS <= windowS) recentDose += amount;
  }
  return {
    frames,
    dose,
    weightedDose,
    wavelengthToxicity: dose > 0 ? toxicAmount / dose : wavelengthToxicity(defaultNm),
    toxicDose,
    lastPowerPercent: doses.length ? doses[doses.length - 1].powerPercent : 0,
    recentDosePerHour: (recentDose / windowS) * 3600,
    settings,
    readers: frames.map((frame) => frameReader(frame, framePhotometry(frame))),
  };
}

/** The flat-field profile at a region centre `cx`, `cy` (relative to the field, 0 at its centre): 1 at the centre. */
function flatField(settings: FeatureSettings, cx: number, cy: number): number {
  const sigma = settings.flatFieldSigmaFraction;
  return sigma === undefined ? 1 : Math.exp(-(cx * cx + cy * cy) / (2 * sigma * sigma));
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
  const irradiance = flatField(context.settings, cx, cy);
  return [
    Math.log1p(context.dose),
    Math.log1p(context.weightedDose),
    cx * cx + cy * cy,
    safeRatio(now.meanSignal, then.meanSignal),
    safeRatio(now.foreground, then.foreground),
    safeRatio(now.texture / Math.max(1e-9, Math.abs(now.meanSignal)), then.texture / Math.max(1e-9, Math.abs(then.meanSignal))),
    frames.length > 1 ? 1 - Math.min(1, change / count / scale) : 0.5,
    Math.log(context.wavelengthToxicity),
    Math.log1p(irradiance * context.dose),
    Math.log1p(irradiance * context.toxicDose),
    Math.log1p(irradiance * context.lastPowerPercent),
    Math.log1p(irradiance * context.recentDosePerHour),
  ];
}

/** The entries of a full feature vector at `columns` (from `featureColumns`). */
export function pickFeatures(features: readonly number[], columns: readonly number[]): number[] {
  return columns.map((c) => features[c]);
}

/**
 * Features of `region` from `frames` (oldest first, the newest last; two or more give the image-change signs)
 * and `doses` (every exposure so far, including those of the frames), in the order of PHOTOTOX_FEATURE_NAMES.
 * NaN where the frames cannot tell (no light).
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
