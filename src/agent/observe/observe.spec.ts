import { PhotodamageDish } from '../../../simulators/sample/photodamage';
import { spearman, snrSamples } from '../../../scripts/snr-check';
import { BRIGHT_HALF_NOISE_FACTOR, estimateSnr } from './snr-estimate';

/** The SNR estimate by its plain definition: sorts for the percentiles and the median cross difference. */
function definitionSnr(pixels: ArrayLike<number>, widthPx: number, heightPx: number): number {
  const n = widthPx * heightPx;
  const sorted = Float32Array.from({ length: n }, (_, i) => pixels[i]).sort();
  const [background, median, bright] = [sorted[Math.floor(n * 0.05)], sorted[Math.floor(n * 0.5)], sorted[Math.floor(n * 0.95)]];
  const differences: number[] = [];
  for (let y = 0; y + 1 < heightPx; y += 2) {
    for (let x = 0; x + 1 < widthPx; x += 2) {
      const i = y * widthPx + x;
      if (pixels[i] >= median) differences.push(Math.abs(pixels[i] - pixels[i + 1] - pixels[i + widthPx] + pixels[i + widthPx + 1]));
    }
  }
  differences.sort((a, b) => a - b);
  const half = differences.length / 2;
  let middle = differences[Math.floor(half)];
  if (pixels instanceof Uint16Array || pixels instanceof Uint8Array) {
    // integer differences: the median placed within its bin, [k − ½, k + ½) ([0, ½) for 0)
    const below = differences.filter((d) => d < middle).length;
    const here = differences.filter((d) => d === middle).length;
    middle = middle === 0 ? (0.5 * (half - below)) / here : middle - 0.5 + (half - below) / here;
  }
  return (bright - background) / ((middle / 0.6745 / 2) * BRIGHT_HALF_NOISE_FACTOR);
}

describe('the SNR the agent reads of a frame', () => {
  const size = 144;
  const dish = new PhotodamageDish({ seed: 8, cellCount: 18, camera: { widthPx: size, heightPx: size } });
  const frames = [0, 600, 1200].map((t) => (dish.advanceTo(t), dish.expose({ powerMw: 8, wavelengthNm: 488 }, 100).raw));

  it('is its plain definition, for camera and float frames', () => {
    for (const pixels of [...frames, Float32Array.from(frames[1], (v) => v * 1.5 + 0.25), Uint8Array.from(frames[2], (v) => v >> 4)]) {
      expect(estimateSnr(pixels, size, size)).toBeCloseTo(definitionSnr(pixels, size, size), 9);
    }
    expect(estimateSnr(frames[0], 3, 3)).toBeNaN();
    expect(estimateSnr(new Uint16Array(size * size).fill(300), size, size)).toBe(0);
  });

  it('rises with the light and tracks the true SNR from 1 to 100 % (simulated frames, noise-free truth)', () => {
    const lights = [1, 3, 10, 30, 100];
    const samples = snrSamples([8, 9], lights);
    const perLight = lights.map((light) => {
      const here = samples.filter((s) => s.lightPercent === light);
      return {
        estimate: here.reduce((sum, s) => sum + s.estimate, 0) / here.length,
        relativeError: here.reduce((sum, s) => sum + s.estimate / s.truth - 1, 0) / here.length,
      };
    });
    for (let i = 1; i < perLight.length; i++) expect(perLight[i].estimate).toBeGreaterThan(perLight[i - 1].estimate * 1.3);
    for (const { relativeError } of perLight) expect(Math.abs(relativeError)).toBeLessThan(0.25);
    expect(
      spearman(
        samples.map((s) => s.estimate),
        samples.map((s) => s.truth),
      ),
    ).toBeGreaterThan(0.95);
  });
});
