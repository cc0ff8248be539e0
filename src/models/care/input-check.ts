import { z } from 'zod';
import { estimateNoiseSigma, fitNoiseLevel } from './evaluation/noise-estimate';
import type { PercentileRange } from './normalization';

/**
 * The model's training-data fingerprint and the cheap check of each input frame against it (issue 18, item 5):
 * a CARE network only knows the noise and signal levels it was trained on, so a frame far outside them gets a
 * restoration that looks plausible and is not. Both sides use the same estimator on a single frame: the noise σ
 * from the MAD of the Laplacian, the photons per ADU from the noise-level function var = a·I + b, hence the peak
 * photons (p99.8 − p1) / a, and the noise relative to the percentile range the network sees.
 */

export const OUTSIDE_TRAINING_RANGE = "outside the model's training range";
/** Samples per frame for the estimates (~65 k: a few ms on a 2048² frame). */
const MAX_SAMPLES = 1 << 16;
/** How far beyond the fingerprint's extremes a frame may be and still count as inside. */
export const TRAINING_RANGE_TOLERANCE = 1.5;

export interface InputStatistics {
  /** Estimated photons of the brightest structure above the dark level (p99.8 − p1 over the ADU per photon); null when the noise does not grow with the signal. */
  readonly peakPhotons: number | null;
  /** Noise σ over the percentile range: the noise the network sees in its normalised units. */
  readonly normalizedNoise: number;
  readonly noiseSigmaAdu: number;
  /** The 1st percentile, ADU: camera offset plus background. */
  readonly darkLevelAdu: number;
  /** Slope of the noise-level function, ADU per detected photon (twice the gain on an EMCCD, by its excess noise). */
  readonly aduPerPhoton: number | null;
}

const span = z.tuple([z.number(), z.number()]).refine(([a, b]) => a <= b, 'must be [min, max]');

export const trainingFingerprintSchema = z
  .object({
    /** What the check measures on each input, as measured on the training inputs (min, max). */
    measured: z.object({ peakPhotons: span, normalizedNoise: span }).strict(),
    /** What the training data were generated with, where known (documentation; not checked). */
    generated: z.record(z.string(), z.union([span, z.number(), z.string()])).optional(),
  })
  .passthrough();

export type TrainingFingerprint = z.infer<typeof trainingFingerprintSchema>;

export interface InputCheck {
  readonly withinTrainingRange: boolean;
  /** OUTSIDE_TRAINING_RANGE when not within it. */
  readonly label?: string;
  /** Which figure is out, and by how much. */
  readonly reasons: readonly string[];
  readonly estimated: InputStatistics;
}

export function measureInput(pixels: ArrayLike<number>, widthPx: number, heightPx: number, range: PercentileRange): InputStatistics {
  const noiseSigmaAdu = estimateNoiseSigma(pixels, widthPx, heightPx, MAX_SAMPLES);
  const { slope, bins } = fitNoiseLevel(pixels, widthPx, heightPx, 8, MAX_SAMPLES);
  const spread = range.high - range.low;
  // a slope is believed only where the variance visibly grows over the frame's intensities (by 10 % of its floor)
  const means = bins.map((b) => b.meanAdu);
  const floorVariance = Math.min(...bins.map((b) => b.variance));
  const growth = slope * (Math.max(...means) - Math.min(...means));
  const aduPerPhoton = slope > 0 && Number.isFinite(slope) && growth > 0.1 * floorVariance ? slope : null;
  return {
    peakPhotons: aduPerPhoton ? spread / aduPerPhoton : null,
    normalizedNoise: spread > 0 ? noiseSigmaAdu / spread : Infinity,
    noiseSigmaAdu,
    darkLevelAdu: range.low,
    aduPerPhoton,
  };
}

/** The fingerprint of a set of training inputs: the extremes of what measureInput finds on them. */
export function fingerprintOf(inputs: readonly InputStatistics[], generated?: TrainingFingerprint['generated']): TrainingFingerprint {
  const extremes = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
  const photons = inputs.map((s) => s.peakPhotons).filter((p): p is number => p !== null && Number.isFinite(p));
  return {
    measured: {
      peakPhotons: photons.length ? extremes(photons) : [0, Infinity],
      normalizedNoise: extremes(inputs.map((s) => s.normalizedNoise).filter(Number.isFinite)),
    },
    ...(generated ? { generated } : {}),
  };
}

export function checkInput(statistics: InputStatistics, fingerprint: TrainingFingerprint, tolerance = TRAINING_RANGE_TOLERANCE): InputCheck {
  const reasons: string[] = [];
  const against = (what: string, value: number | null, [min, max]: readonly [number, number], digits: number) => {
    if (value === null) return;
    if (value < min / tolerance) reasons.push(`${what} ${value.toPrecision(digits)} is below the training data's ${min.toPrecision(digits)}`);
    else if (value > max * tolerance) reasons.push(`${what} ${value.toPrecision(digits)} is above the training data's ${max.toPrecision(digits)}`);
  };
  against('estimated peak photons', statistics.peakPhotons, fingerprint.measured.peakPhotons, 3);
  against('relative noise', statistics.normalizedNoise, fingerprint.measured.normalizedNoise, 3);
  const within = reasons.length === 0;
  return { withinTrainingRange: within, ...(within ? {} : { label: OUTSIDE_TRAINING_RANGE }), reasons, estimated: statistics };
}
