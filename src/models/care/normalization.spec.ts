import { denormalize, normalize, NormalizationError, normalizeByPercentiles, percentiles } from './normalization';

/** numpy.percentile's default (linear) by sorting. */
function referencePercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}

describe('percentile normalisation', () => {
  it('takes percentiles as numpy does (linear interpolation), on unsorted data with ties', () => {
    const values = Array.from({ length: 1001 }, (_, i) => ((i * 7919) % 997) + (i % 3 === 0 ? 0.5 : 0));
    for (const p of [0, 1, 3.7, 50, 99.8, 100]) expect(percentiles(values, [p])[0]).toBeCloseTo(referencePercentile(values, p), 3);
    expect(percentiles([5, 1, 3], [50])).toEqual([3]);
    expect(percentiles([1, 2], [25])).toEqual([1.25]);
  });

  it('maps the 1st and 99.8th percentiles to 0 and 1, and back', () => {
    const frame = Float32Array.from({ length: 4096 }, (_, i) => 100 + ((i * 31) % 1000));
    const { range, normalized } = normalizeByPercentiles(frame);
    expect(percentiles(normalized, [1])[0]).toBeCloseTo(0, 5);
    expect(percentiles(normalized, [99.8])[0]).toBeCloseTo(1, 5);
    const back = denormalize(normalized, range);
    for (let i = 0; i < frame.length; i += 97) expect(back[i]).toBeCloseTo(frame[i], 2);
    expect(denormalize(Float32Array.of(0.5), range, true)[0]).toBeCloseTo(0.5 * (range.high - range.low), 4);
  });

  it('survives a constant frame and names a NaN', () => {
    expect(Array.from(normalize([7, 7, 7], { low: 7, high: 7 }))).toEqual([0, 0, 0]);
    expect(() => percentiles([1, NaN, 3], [50])).toThrow(NormalizationError);
    expect(() => percentiles([1, NaN, 3], [50])).toThrow(/NaN at pixel 1/);
  });
});
