/**
 * CSBDeep's percentile normalisation: x ↦ (x − p_low) / (p_high − p_low + eps), with the percentiles of the frame
 * itself (1 % and 99.8 % by default), and the inverse that maps the network's output back to the input's units.
 */

import { floatOrderStatistics, integerOrderStatistics, NotANumberError } from './order-statistics';

export interface PercentileRange {
  readonly low: number;
  readonly high: number;
}

export interface NormalizationSettings {
  readonly lowPercent: number;
  readonly highPercent: number;
}

export const CSBDEEP_PERCENTILES: NormalizationSettings = { lowPercent: 1, highPercent: 99.8 };

/** Added to the percentile range so a flat frame does not divide by zero. */
export const NORMALIZATION_EPS = 1e-20;

export class NormalizationError extends Error {
  override readonly name = 'NormalizationError';
}

/**
 * Percentiles as numpy computes them by default (linear interpolation between order statistics), of the values as
 * float32 (camera integers are exact in it); exact, by counting, never by sorting a copy of the frame.
 */
export function percentiles(pixels: ArrayLike<number>, percents: readonly number[]): number[] {
  if (pixels.length === 0) throw new NormalizationError('cannot take percentiles of an empty frame');
  for (const p of percents) if (!(p >= 0 && p <= 100)) throw new NormalizationError(`percentile must be within 0–100, got ${p}`);
  const positions = percents.map((p) => (p / 100) * (pixels.length - 1));
  const ranks = [...new Set(positions.flatMap((position) => [Math.floor(position), Math.min(pixels.length - 1, Math.floor(position) + 1)]))];
  const statistics = orderStatistics(pixels, ranks);
  const at = new Map(ranks.map((rank, i) => [rank, statistics[i]]));
  return positions.map((position) => {
    const lower = Math.floor(position);
    const low = at.get(lower)!;
    return position > lower ? low + (position - lower) * (at.get(lower + 1)! - low) : low;
  });
}

function orderStatistics(pixels: ArrayLike<number>, ranks: readonly number[]): number[] {
  if (pixels instanceof Uint16Array || pixels instanceof Uint8Array) return integerOrderStatistics(pixels, ranks);
  // new Float32Array(typed array) converts natively; Float32Array.from walks an iterator
  const values = pixels instanceof Float32Array ? pixels : new Float32Array(pixels as ArrayLike<number>);
  try {
    return floatOrderStatistics(values, ranks);
  } catch (err) {
    if (err instanceof NotANumberError) throw new NormalizationError(err.message);
    throw err;
  }
}

export function percentileRange(pixels: ArrayLike<number>, settings: NormalizationSettings = CSBDEEP_PERCENTILES): PercentileRange {
  const [low, high] = percentiles(pixels, [settings.lowPercent, settings.highPercent]);
  return { low, high };
}

export function normalize(pixels: ArrayLike<number>, range: PercentileRange, out: Float32Array = new Float32Array(pixels.length)): Float32Array {
  const scale = 1 / (range.high - range.low + NORMALIZATION_EPS);
  const low = range.low;
  const n = pixels.length;
  for (let i = 0; i < n; i++) out[i] = (pixels[i] - low) * scale;
  return out;
}

/** Maps normalised values back to the input's units; with `isScale`, maps a spread (no offset). */
export function denormalize(values: Float32Array, range: PercentileRange, isScale = false, out = new Float32Array(values.length)): Float32Array {
  const alpha = range.high - range.low + NORMALIZATION_EPS;
  const beta = isScale ? 0 : range.low;
  for (let i = 0; i < values.length; i++) out[i] = values[i] * alpha + beta;
  return out;
}

/** Normalises a frame by its own percentiles; returns both so the output can be mapped back. */
export function normalizeByPercentiles(pixels: ArrayLike<number>, settings: NormalizationSettings = CSBDEEP_PERCENTILES) {
  const range = percentileRange(pixels, settings);
  return { range, normalized: normalize(pixels, range) };
}
