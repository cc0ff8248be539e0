import { gaussianFilter, nonLocalMeans } from './classical-filters';

describe('non-local means', () => {
  // 3×3 frame, a single bright pixel; 1×1 patches and a 3×3 search window, h 1, σ 0: every weight is e^−(Δ²)
  const frame = Float32Array.from([0, 0, 0, 0, 3, 0, 0, 0, 0]);
  const e9 = Math.exp(-9);

  it('matches a hand-computed case (1×1 patch, 3×3 search, mirrored borders)', () => {
    const [out] = nonLocalMeans(frame, 3, 3, { h: [1], sigma: 0, patchRadiusPx: 0, searchRadiusPx: 1 });
    // centre: itself (weight 1, value 3) and eight zeros of weight e^−9
    expect(out[4]).toBeCloseTo(3 / (1 + 8 * e9), 6);
    // corner (0,0): its mirrored window holds the bright pixel once (weight e^−9) and eight zeros of weight 1
    expect(out[0]).toBeCloseTo((3 * e9) / (8 + e9), 9);
    // edge (0,1): window rows {0,0,1}, columns {0,1,2}: the bright pixel once
    expect(out[1]).toBeCloseTo((3 * e9) / (8 + e9), 9);
  });

  it('subtracts 2σ² from the patch distance before weighting', () => {
    // with 2σ² = 9 every distance is forgiven: all weights 1, the plain mean of the mirrored window
    const [out] = nonLocalMeans(frame, 3, 3, { h: [1], sigma: Math.sqrt(4.5), patchRadiusPx: 0, searchRadiusPx: 1 });
    expect(out[4]).toBeCloseTo(3 / 9, 6);
    expect(out[0]).toBeCloseTo(3 / 9, 6);
  });

  it('compares whole patches: 3×3 patches of a two-level frame keep the edge', () => {
    const w = 12;
    const step = Float32Array.from({ length: w * w }, (_, i) => (i % w < w / 2 ? 0 : 10));
    const [sharp, blurred] = nonLocalMeans(step, w, w, { h: [0.5, 1e6], sigma: 0, patchRadiusPx: 1, searchRadiusPx: 2 });
    // small h: patches across the edge differ, so the edge survives intact
    expect(sharp[3 * w + 5]).toBeCloseTo(0, 3);
    expect(sharp[3 * w + 6]).toBeCloseTo(10, 3);
    // huge h: the plain 5×5 mean, as a box filter gives (here 2 of 5 columns are bright)
    expect(blurred[3 * w + 5]).toBeCloseTo(4, 3);
  });

  it('denoises a noisy two-level frame better than the best Gaussian', () => {
    const w = 48;
    let s = 7;
    const noise = () => {
      s = (s * 16807) % 2147483647;
      const u = s / 2147483647;
      s = (s * 16807) % 2147483647;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos((2 * Math.PI * s) / 2147483647);
    };
    const clean = Float32Array.from({ length: w * w }, (_, i) => ((i % w) >> 3) % 2 === 0 ? 0 : 10);
    const noisy = clean.map((v) => v + 2 * noise());
    const mse = (a: Float32Array) => a.reduce((t, v, i) => t + (v - clean[i]) ** 2, 0) / a.length;
    const [nlm] = nonLocalMeans(noisy, w, w, { h: [2], sigma: 2 });
    const gaussian = Math.min(...[0.5, 1, 1.5, 2].map((sigma) => mse(gaussianFilter(noisy, w, w, sigma))));
    expect(mse(nlm)).toBeLessThan(gaussian);
    expect(mse(nlm)).toBeLessThan(mse(noisy) / 4);
  });
});
