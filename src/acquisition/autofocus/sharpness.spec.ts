import { normalizedVariance } from './sharpness';
import { FOCUS_PLANE_UM, HALF_DEPTH_OF_FIELD_UM, fieldRenderer } from './test-images';

describe('normalised variance (Groen et al. 1985)', () => {
  it('is Σ(i − μ)² / (N·μ), and 0 for a flat, black or empty frame', () => {
    expect(normalizedVariance(Uint16Array.from([1, 3]))).toBeCloseTo(0.5, 12);
    expect(normalizedVariance(Float32Array.from([0, 0, 4, 4]))).toBeCloseTo(2, 12);
    expect(normalizedVariance(new Uint16Array(16).fill(700))).toBe(0);
    expect(normalizedVariance(new Uint8Array(16))).toBe(0);
    expect(normalizedVariance(new Uint16Array(0))).toBe(0);
  });

  it('falls steadily as a simulated field of cells goes out of focus, on either side', () => {
    const render = fieldRenderer();
    const score = (dzUm: number) => normalizedVariance(render(FOCUS_PLANE_UM + dzUm));
    const below = [0, -1, -2, -4].map(score);
    for (let i = 1; i < below.length; i++) expect(below[i]).toBeLessThan(below[i - 1]);
    // Above the basal layer the nucleus layer (1.6 µm higher) keeps some structure in focus, so step further.
    expect(score(3.5)).toBeLessThan(below[0]);
    expect(score(6)).toBeLessThan(score(3.5));
  });

  it('is highest within the depth of field of the focal plane in a fine series of simulated frames', () => {
    const render = fieldRenderer({ xUm: -100, yUm: 100 });
    const zs = Array.from({ length: 25 }, (_, i) => FOCUS_PLANE_UM - 3 + i * 0.25);
    const scores = zs.map((z) => normalizedVariance(render(z)));
    const best = zs[scores.indexOf(Math.max(...scores))];
    expect(Math.abs(best - FOCUS_PLANE_UM)).toBeLessThanOrEqual(HALF_DEPTH_OF_FIELD_UM);
  });
});
