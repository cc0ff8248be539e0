import { floatOrderStatistics, integerOrderStatistics, NotANumberError } from './order-statistics';

function sortedCopy(values: ArrayLike<number>): number[] {
  return Array.from(values).sort((a, b) => a - b);
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('exact order statistics by counting', () => {
  it('gives the k-th smallest float32 value for every rank asked, across signs, zeros and infinities', () => {
    const next = random(11);
    const values = Float32Array.from({ length: 5000 }, (_, i) => {
      if (i % 97 === 0) return i % 2 ? Infinity : -Infinity;
      if (i % 89 === 0) return i % 2 ? -0 : 0;
      return (next() - 0.4) * 10 ** Math.floor(next() * 12 - 6);
    });
    const sorted = sortedCopy(values);
    const ranks = [0, 1, 49, 50, 2500, 4989, 4990, 4999];
    expect(floatOrderStatistics(values, ranks)).toEqual(ranks.map((r) => sorted[r]));
  });

  it('stays exact when every value falls in one coarse bin (a narrow, normalised frame)', () => {
    const next = random(5);
    const values = Float32Array.from({ length: 20_000 }, () => 0.5 + next() * 1e-3);
    const sorted = sortedCopy(values);
    const ranks = [199, 200, 19_959, 19_960];
    expect(floatOrderStatistics(values, ranks)).toEqual(ranks.map((r) => sorted[r]));
  });

  it('answers hundreds of ranks at once, each in its own coarse bin', () => {
    const values = Float32Array.from({ length: 3000 }, (_, i) => 2 ** ((i % 300) / 10 - 15) * (i % 2 ? 1 : -1));
    const sorted = sortedCopy(values);
    const ranks = Array.from({ length: 300 }, (_, i) => i * 10);
    expect(floatOrderStatistics(values, ranks)).toEqual(ranks.map((r) => sorted[r]));
  });

  it('reads a view into a larger buffer, not the whole buffer', () => {
    const buffer = Float32Array.from([100, 3, 2, 1, -100]);
    expect(floatOrderStatistics(buffer.subarray(1, 4), [0, 2])).toEqual([1, 3]);
  });

  it('names the first NaN, whichever sign and mantissa it has', () => {
    const bits = new Int32Array([0x3f800000, 0x7fc00000, 0xffc00001 | 0, 0x7f800001]);
    const values = new Float32Array(bits.buffer);
    expect(() => floatOrderStatistics(values, [0])).toThrow(new NotANumberError(1));
    expect(() => floatOrderStatistics(values.subarray(2), [0])).toThrow(/NaN at pixel 0/);
    expect(() => floatOrderStatistics(values.subarray(3), [0])).toThrow(/NaN at pixel 0/);
    // infinities alone are values, not NaN
    expect(floatOrderStatistics(Float32Array.of(Infinity, -Infinity, 1), [0, 1, 2])).toEqual([-Infinity, 1, Infinity]);
  });

  it('counts 8- and 16-bit camera frames directly', () => {
    const next = random(3);
    const wide = Uint16Array.from({ length: 10_000 }, () => Math.floor(next() * 65536));
    const narrow = Uint8Array.from(wide, (v) => v >> 8);
    const ranks = [0, 99, 100, 9979, 9999];
    expect(integerOrderStatistics(wide, ranks)).toEqual(ranks.map((r) => sortedCopy(wide)[r]));
    expect(integerOrderStatistics(narrow, ranks)).toEqual(ranks.map((r) => sortedCopy(narrow)[r]));
  });

  it('refuses a rank beyond the values', () => {
    expect(() => integerOrderStatistics(Uint16Array.of(1, 2), [2])).toThrow(RangeError);
  });
});
