import { SeededRandom } from '../training/seeded-random';
import { airyKernel, cameraFrame, independentPair, ISSUE_FIELD } from './independent-specimen';
import { estimateNoiseSigma, fitNoiseLevel } from './noise-estimate';

const stats = (a: ArrayLike<number>) => {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < a.length; i++) {
    sum += a[i];
    sq += a[i] * a[i];
  }
  const mean = sum / a.length;
  return { mean, variance: sq / a.length - mean * mean };
};

describe('the independent test-data generator', () => {
  const options = { ...ISSUE_FIELD, seed: 11, sizePx: 96 };

  it('is seeded: the same seed gives the same field, another seed another', () => {
    const a = independentPair(options);
    expect(independentPair(options).raw).toEqual(a.raw);
    expect(independentPair({ ...options, seed: 12 }).groundTruth).not.toEqual(a.groundTruth);
  });

  it('puts the peak photons above the background, behind the camera offset and gain', () => {
    const { groundTruth, raw } = independentPair({ ...options, camera: { ...options.camera, gainAduPerElectron: 2 } });
    const peak = Math.max(...groundTruth);
    // offset 100 + 2 ADU/e⁻ × (12 photons + a background of 2 ± 30 %)
    expect(peak).toBeGreaterThan(100 + 2 * (12 + 1.4));
    expect(peak).toBeLessThan(100 + 2 * (12 + 2.6));
    expect(Math.abs(stats(raw).mean - stats(groundTruth).mean)).toBeLessThan(0.1);
  });

  it('adds Poisson, read and EMCCD excess noise of the right variance', () => {
    const random = new SeededRandom(3);
    const flat = new Float32Array(20_000).fill(20);
    const ccd = stats(cameraFrame(flat, { offsetAdu: 100, gainAduPerElectron: 1, readNoiseElectrons: 2 }, random));
    expect(ccd.mean).toBeCloseTo(120, 0);
    expect(ccd.variance).toBeGreaterThan(0.93 * (20 + 4 + 1 / 12));
    expect(ccd.variance).toBeLessThan(1.07 * (20 + 4 + 1 / 12));
    // an EM gain G multiplies the mean by G and the shot-noise variance by 2·G² (excess noise factor √2)
    const em = stats(cameraFrame(flat, { offsetAdu: 100, gainAduPerElectron: 0.1, readNoiseElectrons: 10, emGain: 50 }, random));
    expect(em.mean).toBeCloseTo(100 + 0.1 * 50 * 20, 0);
    expect(em.variance / (2 * 25 * 20 + 1)).toBeGreaterThan(0.9);
    expect(em.variance / (2 * 25 * 20 + 1)).toBeLessThan(1.1);
  });

  it('has an Airy PSF that sums to 1 and is dark at its first zero', () => {
    const { kernel, radiusPx } = airyKernel(4);
    const side = 2 * radiusPx + 1;
    expect(kernel.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    const centre = kernel[radiusPx * side + radiusPx];
    expect(kernel[radiusPx * side + radiusPx + 4]).toBeLessThan(0.02 * centre);
    expect(kernel[radiusPx * side + radiusPx + 2]).toBeGreaterThan(0.3 * centre);
  });
});

describe('noise estimates from one frame', () => {
  it('recovers the σ of white noise under smooth structure (MAD of the Laplacian)', () => {
    const random = new SeededRandom(5);
    const w = 128;
    const frame = Float32Array.from({ length: w * w }, (_, i) => 50 * Math.sin((i % w) / 20) + 30 * Math.cos(i / w / 15) + 3 * Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next()));
    expect(estimateNoiseSigma(frame, w, w)).toBeGreaterThan(2.7);
    expect(estimateNoiseSigma(frame, w, w)).toBeLessThan(3.3);
  });

  it('recovers the camera gain from the noise-level function of a Poisson frame', () => {
    const w = 128;
    const photons = Float32Array.from({ length: w * w }, (_, i) => 5 + 200 * ((i % w) / w));
    const frame = cameraFrame(photons, { offsetAdu: 100, gainAduPerElectron: 2, readNoiseElectrons: 1 }, new SeededRandom(9));
    const fit = fitNoiseLevel(frame, w, w);
    expect(fit.slope).toBeGreaterThan(1.7);
    expect(fit.slope).toBeLessThan(2.3);
  });
});
