/**
 * CSBDeep's percentile normalisation: x ↦ (x − p_low) / (p_high − p_low + eps), with the percentiles of the frame
 * itself (1 % and 99.8 % by default), and the inverse that maps the network's output back to the input's units.
 */

export interface PercentileRange {
  readonly low: number;
  readonly high: number;
}

export interface NormalizationSettings {
  readonly lowPercent: number;
  readonly highPercent: number;
}

export const CSBDEEP_PERCENTILES: NormalizationSettings = { lowPercent: 1, highPercent: 99.8 };

const EPS = 1e-20;

export class NormalizationError extends Error {
  override readonly name = 'NormalizationError';
}

/** The k-th smallest value (0-based) of `values`, reordering it in place (Hoare's selection, expected O(n)). */
function selectInPlace(values: Float32Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const pivot = values[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k];
  }
  return values[k];
}

/** Smallest value at index ≥ from. */
function minFrom(values: Float32Array, from: number): number {
  let m = Infinity;
  for (let i = from; i < values.length; i++) if (values[i] < m) m = values[i];
  return m;
}

/** Percentiles as numpy computes them by default (linear interpolation between order statistics). */
export function percentiles(pixels: ArrayLike<number>, percents: readonly number[]): number[] {
  if (pixels.length === 0) throw new NormalizationError('cannot take percentiles of an empty frame');
  const scratch = Float32Array.from(pixels);
  for (let i = 0; i < scratch.length; i++) {
    if (Number.isNaN(scratch[i])) throw new NormalizationError(`frame has a NaN at pixel ${i}`);
  }
  return percents.map((p) => {
    if (!(p >= 0 && p <= 100)) throw new NormalizationError(`percentile must be within 0–100, got ${p}`);
    const position = (p / 100) * (scratch.length - 1);
    const lowerIndex = Math.floor(position);
    const lower = selectInPlace(scratch, lowerIndex);
    const fraction = position - lowerIndex;
    if (fraction === 0) return lower;
    // After selection every value right of lowerIndex is ≥ lower; the next order statistic is their minimum.
    return lower + fraction * (minFrom(scratch, lowerIndex + 1) - lower);
  });
}

export function percentileRange(pixels: ArrayLike<number>, settings: NormalizationSettings = CSBDEEP_PERCENTILES): PercentileRange {
  const [low, high] = percentiles(pixels, [settings.lowPercent, settings.highPercent]);
  return { low, high };
}

export function normalize(pixels: ArrayLike<number>, range: PercentileRange, out = new Float32Array(pixels.length)): Float32Array {
  const scale = 1 / (range.high - range.low + EPS);
  for (let i = 0; i < pixels.length; i++) out[i] = (pixels[i] - range.low) * scale;
  return out;
}

/** Maps normalised values back to the input's units; with `isScale`, maps a spread (no offset). */
export function denormalize(values: Float32Array, range: PercentileRange, isScale = false, out = new Float32Array(values.length)): Float32Array {
  const alpha = range.high - range.low + EPS;
  const beta = isScale ? 0 : range.low;
  for (let i = 0; i < values.length; i++) out[i] = values[i] * alpha + beta;
  return out;
}

/** Normalises a frame by its own percentiles; returns both so the output can be mapped back. */
export function normalizeByPercentiles(pixels: ArrayLike<number>, settings: NormalizationSettings = CSBDEEP_PERCENTILES) {
  const range = percentileRange(pixels, settings);
  return { range, normalized: normalize(pixels, range) };
}
