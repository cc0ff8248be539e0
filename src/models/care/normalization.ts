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

/** Added to the percentile range so a flat frame does not divide by zero. */
export const NORMALIZATION_EPS = 1e-20;

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

/**
 * Order statistics (0-based ranks) of float32 values by a histogram over [min, max]: the bins are ordered, so each
 * rank lies in one bin whose few values are then selected exactly. Three passes over the frame instead of
 * selection on a copy of it.
 */
function orderStatistics(values: Float32Array, min: number, max: number, ranks: readonly number[]): number[] {
  const bins = Math.max(16, Math.min(1 << 16, values.length >> 3));
  const perUnit = bins / (max - min);
  const last = bins - 1;
  // (v − min)·perUnit ≥ 0, so truncation is floor; the maximum lands on `bins` and is clamped to the last bin
  const binOf = (v: number) => {
    const b = ((v - min) * perUnit) | 0;
    return b > last ? last : b;
  };
  const counts = new Int32Array(bins);
  for (let i = 0; i < values.length; i++) counts[binOf(values[i])]++;
  const starts = new Int32Array(bins);
  for (let b = 1; b < bins; b++) starts[b] = starts[b - 1] + counts[b - 1];
  const binOfRank = (rank: number) => {
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= rank) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // slot of each bin that holds a wanted rank (0: none), and its values
  const slotOf = new Int32Array(bins);
  const held: Float32Array[] = [];
  const filled: number[] = [];
  for (const rank of ranks) {
    const b = binOfRank(rank);
    if (slotOf[b]) continue;
    held.push(new Float32Array(counts[b]));
    filled.push(0);
    slotOf[b] = held.length;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const slot = slotOf[binOf(v)];
    if (slot) held[slot - 1][filled[slot - 1]++] = v;
  }
  return ranks.map((rank) => {
    const b = binOfRank(rank);
    return selectInPlace(held[slotOf[b] - 1], rank - starts[b]);
  });
}

/** Percentiles as numpy computes them by default (linear interpolation between order statistics), of the float32 values. */
export function percentiles(pixels: ArrayLike<number>, percents: readonly number[]): number[] {
  if (pixels.length === 0) throw new NormalizationError('cannot take percentiles of an empty frame');
  for (const p of percents) if (!(p >= 0 && p <= 100)) throw new NormalizationError(`percentile must be within 0–100, got ${p}`);
  // new Float32Array(typed array) converts natively; Float32Array.from walks an iterator
  const values = pixels instanceof Float32Array ? pixels : new Float32Array(pixels as ArrayLike<number>);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) throw new NormalizationError(`frame has a NaN at pixel ${i}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const positions = percents.map((p) => (p / 100) * (values.length - 1));
  if (min === max) return percents.map(() => min);
  const ranks = positions.flatMap((position) => {
    const lower = Math.floor(position);
    return position > lower ? [lower, lower + 1] : [lower];
  });
  const statistics = Number.isFinite(max - min) ? orderStatistics(values, min, max, ranks) : ranks.map((rank) => selectInPlace(values.slice(), rank));
  const at = new Map(ranks.map((rank, i) => [rank, statistics[i]]));
  return positions.map((position) => {
    const lower = Math.floor(position);
    const low = at.get(lower)!;
    return position > lower ? low + (position - lower) * (at.get(lower + 1)! - low) : low;
  });
}

export function percentileRange(pixels: ArrayLike<number>, settings: NormalizationSettings = CSBDEEP_PERCENTILES): PercentileRange {
  const [low, high] = percentiles(pixels, [settings.lowPercent, settings.highPercent]);
  return { low, high };
}

export function normalize(pixels: ArrayLike<number>, range: PercentileRange, out = new Float32Array(pixels.length)): Float32Array {
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
