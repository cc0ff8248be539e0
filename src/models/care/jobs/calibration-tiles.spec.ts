import { signalTiles, tileGrid, tilePxFor } from './calibration-tiles';

describe('the tiles a held-out pair is cut into for PSNR calibration', () => {
  it('are 32 px on small frames, 64 px from 256 px, none under 32 px', () => {
    expect(tilePxFor(64, 64)).toBe(32);
    expect(tilePxFor(512, 200)).toBe(32);
    expect(tilePxFor(512, 512)).toBe(64);
    expect(tilePxFor(20, 100)).toBeNull();
  });

  it('cover a frame without overlap, at most 8 × 8 of them spread over a large one', () => {
    const small = tileGrid(100, 70, 32);
    expect(small).toEqual([
      { xPx: 2, yPx: 3, sizePx: 32 },
      { xPx: 34, yPx: 3, sizePx: 32 },
      { xPx: 66, yPx: 3, sizePx: 32 },
      { xPx: 2, yPx: 35, sizePx: 32 },
      { xPx: 34, yPx: 35, sizePx: 32 },
      { xPx: 66, yPx: 35, sizePx: 32 },
    ]);
    const large = tileGrid(2048, 2048, 64);
    expect(large).toHaveLength(64);
    const xs = [...new Set(large.map((t) => t.xPx))];
    expect(xs).toEqual([0, 256, 512, 768, 1024, 1280, 1536, 1792]);
  });

  it('leave out tiles whose target is empty background', () => {
    // a 128² target with a bright structure in its left half only, and a faint ripple everywhere
    const target = Float32Array.from({ length: 128 * 128 }, (_, i) => {
      const x = i % 128;
      const y = Math.floor(i / 128);
      return 100 + Math.sin(x + 3 * y) + (x < 64 ? 500 * Math.exp(-(((x % 32) - 16) ** 2 + ((y % 32) - 16) ** 2) / 40) : 0);
    });
    const { tiles, skipped } = signalTiles({ pixels: target, widthPx: 128, heightPx: 128 }, 32);
    expect(skipped).toBe(8);
    expect(tiles).toHaveLength(8);
    expect(tiles.every((t) => t.xPx < 64)).toBe(true);
  });
});
