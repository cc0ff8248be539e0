/**
 * Training and evaluation data for the phototoxicity predictor, made with the photodamage simulator: seeded runs
 * of 2-hour time-lapses under varied light (wavelength 405/488/561/640 nm by seed, power 2–60 % changed every
 * 30 min, interval 60–600 s, exposure 50–200 ms), one sample per cell every few frames: the predictor's features
 * of the cell's neighbourhood (all of PHOTOTOX_FEATURE_NAMES) and whether the simulator's ground truth says it is
 * damaged (stressed or dead) now. Lives outside src/: the service never sees the simulator.
 */
import { PhotodamageDish, type DishFrame } from '../simulators/sample/photodamage';
import { Random } from '../simulators/sample/random';
import { regionFeatures, type DoseEvent, type FeatureSettings, type ObservedFrame } from '../src/models/phototox';

export interface PhototoxSamples {
  readonly features: number[][];
  readonly labels: boolean[];
  /** The run each sample came from, for splitting by run. */
  readonly runs: number[];
  /** The run's excitation wavelength, per sample. */
  readonly wavelengthsNm: number[];
}

/** 1 % of the simulated source = 1 mW at the sample. */
export const MW_PER_PERCENT = 1;
const REGION_PX = 24;
/** One per seed in turn, so that every set of consecutive seeds spans the colours evenly. */
export const WAVELENGTHS_NM = [405, 488, 561, 640];
export const POWER_RANGE_PERCENT: readonly [number, number] = [2, 60];
export const INTERVAL_RANGE_S: readonly [number, number] = [60, 600];

function observed(frame: DishFrame, powerPercent: number): ObservedFrame {
  return {
    pixels: frame.raw,
    widthPx: frame.widthPx,
    heightPx: frame.heightPx,
    exposureMs: frame.exposureMs,
    powerPercent,
    timeS: frame.timeS,
  };
}

/** Samples of one simulated run; `seed` fixes the dish and the protocol. */
export function phototoxRunSamples(seed: number, settings?: FeatureSettings, durationS = 7200): PhototoxSamples {
  const protocol = new Random(seed * 7919 + 13);
  const dish = new PhotodamageDish({ seed });
  const logUniform = ([low, high]: readonly [number, number]) => Math.exp(protocol.range(Math.log(low), Math.log(high)));
  const [minPower, maxPower] = POWER_RANGE_PERCENT;
  const intervalS = Math.round(logUniform(INTERVAL_RANGE_S));
  const exposureMs = Math.round(protocol.range(50, 200));
  const wavelengthNm = WAVELENGTHS_NM[seed % WAVELENGTHS_NM.length];
  let powerPercent = logUniform(POWER_RANGE_PERCENT);
  const out: PhototoxSamples = { features: [], labels: [], runs: [], wavelengthsNm: [] };
  const doses: DoseEvent[] = [];
  const frames: ObservedFrame[] = [];
  let frameIndex = 0;
  for (let t = 0; t <= durationS; t += intervalS, frameIndex++) {
    if (frameIndex > 0 && t % 1800 < intervalS)
      powerPercent = Math.min(maxPower, Math.max(minPower, powerPercent * Math.exp(protocol.range(-1.2, 1.2))));
    dish.advanceTo(t);
    const frame = dish.expose({ powerMw: powerPercent * MW_PER_PERCENT, wavelengthNm }, exposureMs);
    doses.push({ timeS: frame.timeS, powerPercent, exposureMs, wavelengthNm });
    frames.push(observed(frame, powerPercent));
    if (frameIndex < 2 || frameIndex % 3 !== 0) continue;
    const history = [frames[0], frames[frames.length - 2], frames[frames.length - 1]];
    const pixelUm = dish.camera.pixelSizeUm * dish.camera.binning;
    for (const cell of dish.truth()) {
      const cx = Math.round(cell.xUm / pixelUm + frame.widthPx / 2);
      const cy = Math.round(cell.yUm / pixelUm + frame.heightPx / 2);
      const region = {
        x0Px: Math.max(0, Math.min(frame.widthPx - REGION_PX, cx - REGION_PX / 2)),
        y0Px: Math.max(0, Math.min(frame.heightPx - REGION_PX, cy - REGION_PX / 2)),
        sizePx: REGION_PX,
      };
      const features = regionFeatures(history, doses, region, settings);
      if (!features.every(Number.isFinite)) continue;
      out.features.push(features);
      out.labels.push(cell.condition !== 'healthy');
      out.runs.push(seed);
      out.wavelengthsNm.push(wavelengthNm);
    }
  }
  return out;
}

export function phototoxSamples(seeds: readonly number[], settings?: FeatureSettings, durationS?: number): PhototoxSamples {
  const all: PhototoxSamples = { features: [], labels: [], runs: [], wavelengthsNm: [] };
  for (const seed of seeds) {
    const s = phototoxRunSamples(seed, settings, durationS);
    all.features.push(...s.features);
    all.labels.push(...s.labels);
    all.runs.push(...s.runs);
    all.wavelengthsNm.push(...s.wavelengthsNm);
  }
  return all;
}
