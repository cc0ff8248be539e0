import { frameBlocks } from './frame-blocks';
import { pixelQuantile, pixelsAtRanks } from './order-statistics';

/** The definition: the value a sort of the float32 pixels puts at each rank. */
const sortedAt = (pixels: ArrayLike<number>, count: number, ranks: number[]) => {
  const sorted = Float32Array.from({ length: count }, (_, i) => pixels[i]).sort();
  return ranks.map((rank) => sorted[rank]);
};

function noise(seed: number, n: number, scale: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % scale;
  });
}

describe('order statistics of frames', () => {
  const ranksOf = (n: number) => [0, 1, Math.floor(n * 0.05), Math.floor(n * 0.5), Math.floor(n * 0.95), n - 1];

  it('gives what a sort gives, for 16-bit, 8-bit and float frames, NaN and -0 included', () => {
    const n = 10_007;
    const values = noise(3, n, 4096);
    const cases: Array<[string, ArrayLike<number>]> = [
      ['uint16', Uint16Array.from(values)],
      ['uint8', Uint8Array.from(values, (v) => v & 255)],
      ['float32', Float32Array.from(values, (v) => (v - 2048) / 7)],
      ['float64', Float64Array.from(values, (v) => v / 3 - 100.25)],
      ['constant', new Uint16Array(n).fill(7)],
      ['signed zeros', Float32Array.from(values, (v) => (v % 2 ? 0 : -0))],
      ['with NaN', Float32Array.from(values, (v, i) => (i % 97 === 0 ? Number.NaN : v))],
    ];
    for (const [, pixels] of cases) {
      expect(pixelsAtRanks(pixels, n, ranksOf(n))).toEqual(sortedAt(pixels, n, ranksOf(n)));
      // a prefix of the pixels, as a frame inside a larger buffer
      expect(pixelsAtRanks(pixels, 5000, ranksOf(5000))).toEqual(sortedAt(pixels, 5000, ranksOf(5000)));
      expect(pixelQuantile(pixels, 0.05)).toEqual(sortedAt(pixels, n, [Math.floor(n * 0.05)])[0]);
    }
  });

  it('sums blocks exactly as a raster walk does, and its one pass remembers the quantiles a sort gives', () => {
    const [w, h] = [203, 118];
    const pixels = Uint16Array.from(noise(9, w * h, 4096));
    const blocks = frameBlocks(pixels, w, h, 4);
    const tiles = frameBlocks(pixels, w, h, 32);
    expect([blocks.w, blocks.h, tiles.w, tiles.h]).toEqual([50, 29, 6, 3]);
    for (const { blockPx, w: bw, sums } of [blocks, tiles]) {
      for (const [bx, by] of [
        [0, 0],
        [2, 1],
        [bw - 1, 2],
      ]) {
        let sum = 0;
        for (let y = by * blockPx; y < (by + 1) * blockPx; y++) for (let x = bx * blockPx; x < (bx + 1) * blockPx; x++) sum += pixels[y * w + x];
        expect(sums[by * bw + bx]).toBe(sum);
      }
    }
    const n = w * h;
    expect(pixelsAtRanks(pixels, n, [Math.floor(n * 0.05), Math.floor(n * 0.5), Math.floor(n * 0.95)])).toEqual(
      sortedAt(pixels, n, [Math.floor(n * 0.05), Math.floor(n * 0.5), Math.floor(n * 0.95)]),
    );
  });
});
