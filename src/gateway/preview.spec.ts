import { makePreview } from './preview';

describe('live preview', () => {
  it('downsamples by block averaging to the longest side asked for', () => {
    const width = 1024;
    const height = 512;
    const pixels = new Uint16Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = x < 512 ? 100 : 1100;
    const preview = makePreview(pixels, width, height, 256);
    expect([preview.width, preview.height]).toEqual([256, 128]);
    expect(preview.data[0]).toBe(0);
    expect(preview.data[255]).toBe(255);
  });

  it('stretches the 0.1–99.9 % range to 0–255 and keeps a constant image finite', () => {
    const pixels = new Uint16Array(100 * 100);
    for (let i = 0; i < pixels.length; i++) pixels[i] = 1000 + (i % 1000);
    const preview = makePreview(pixels, 100, 100, 100);
    expect(preview.low).toBeGreaterThanOrEqual(1000);
    expect(preview.high).toBeLessThanOrEqual(1999);
    const flat = makePreview(new Uint16Array(64 * 64).fill(7), 64, 64, 64);
    expect(flat.high).toBeGreaterThan(flat.low);
    expect(Array.from(flat.data).every((v) => v === 0)).toBe(true);
  });
});
