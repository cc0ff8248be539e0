import { SeededRandom } from '../training/seeded-random';
import { phaseCorrelate, significantPeak } from './phase-correlation';

/** Gaussian blobs at fixed sample positions, seen through a field offset by (dx, dy) pixels, with optional noise. */
function field(dxPx: number, dyPx: number, widthPx: number, heightPx: number, brightness: number, noiseSeed?: number): Float32Array {
  const blobs = new SeededRandom(11);
  const centres = Array.from({ length: 40 }, () => ({ x: blobs.next() * widthPx, y: blobs.next() * heightPx, r: 1.5 + 2 * blobs.next() }));
  const noise = noiseSeed === undefined ? undefined : new SeededRandom(noiseSeed);
  const out = new Float32Array(widthPx * heightPx);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      let v = 5;
      for (const c of centres) v += 100 * Math.exp(-((x - dxPx - c.x) ** 2 + (y - dyPx - c.y) ** 2) / (2 * c.r * c.r));
      out[y * widthPx + x] = brightness * v + (noise ? brightness * 8 * (noise.next() - 0.5) : 0);
    }
  }
  return out;
}

describe('phase correlation', () => {
  it('finds a sub-pixel shift between a dim, noisy frame and a bright one within 0.2 px', () => {
    const low = field(0, 0, 96, 80, 0.1, 3);
    const high = field(2.3, -1.6, 96, 80, 1);
    const shift = phaseCorrelate(low, high, 96, 80);
    expect(shift.dxPx).toBeCloseTo(2.3, 0);
    expect(Math.abs(shift.dxPx - 2.3)).toBeLessThan(0.2);
    expect(Math.abs(shift.dyPx + 1.6)).toBeLessThan(0.2);
    expect(shift.peak).toBeGreaterThan(0.1);
  });

  it('registers a frame of a few photons per pixel (Poisson) against a bright one', () => {
    const clean = field(0, 0, 64, 64, 0.05);
    const random = new SeededRandom(8);
    // Knuth's Poisson sampler: mean 0.25–5 photons per pixel
    const poisson = (mean: number) => {
      const limit = Math.exp(-mean);
      let k = 0;
      for (let p = random.next(); p > limit; p *= random.next()) k++;
      return k;
    };
    const dim = clean.map((v) => poisson(v));
    for (const [dx, dy] of [
      [0, 0],
      [0.4, -0.3],
      [-1.2, 0.7],
    ]) {
      const shift = phaseCorrelate(dim, field(dx, dy, 64, 64, 1), 64, 64);
      expect(Math.hypot(shift.dxPx - dx, shift.dyPx - dy)).toBeLessThan(0.3);
    }
  });

  it('reports no shift for the same field at two light levels', () => {
    const shift = phaseCorrelate(field(0, 0, 64, 64, 0.2, 5), field(0, 0, 64, 64, 1, 6), 64, 64);
    expect(Math.hypot(shift.dxPx, shift.dyPx)).toBeLessThan(0.15);
  });

  it('gives a far lower peak for images that share no structure than for two frames of one field', () => {
    const noiseA = Float32Array.from({ length: 64 * 64 }, ((r) => () => r.next())(new SeededRandom(1)));
    const noiseB = Float32Array.from({ length: 64 * 64 }, ((r) => () => r.next())(new SeededRandom(2)));
    const unrelated = phaseCorrelate(noiseA, noiseB, 64, 64).peak;
    const related = phaseCorrelate(field(0, 0, 64, 64, 0.2, 5), field(0, 0, 64, 64, 1, 6), 64, 64).peak;
    expect(unrelated).toBeLessThan(related / 3);
  });

  it('reads a significant peak only where the frames share structure: unrelated noise stays below significantPeak', () => {
    for (const seed of [1, 3, 5, 7]) {
      const noiseA = Float32Array.from({ length: 128 * 128 }, ((r) => () => r.next())(new SeededRandom(seed)));
      const noiseB = Float32Array.from({ length: 128 * 128 }, ((r) => () => r.next())(new SeededRandom(seed + 1)));
      expect(phaseCorrelate(noiseA, noiseB, 128, 128).significance).toBeLessThan(significantPeak(128, 128));
    }
    expect(phaseCorrelate(field(0, 0, 128, 128, 0.2, 5), field(1, 0, 128, 128, 1, 6), 128, 128).significance).toBeGreaterThan(2 * significantPeak(128, 128));
  });
});
