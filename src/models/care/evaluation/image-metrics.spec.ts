import { fitAffine, restorationMetrics } from './image-metrics';

describe('restoration metrics', () => {
  const w = 32;
  const groundTruth = Float32Array.from({ length: w * w }, (_, i) => Math.sin(i / 5) * Math.cos(i / 37) + (i % w) / w);
  const noisy = groundTruth.map((v, i) => v + 0.05 * Math.sin(i * 12.9898) * 1.7);

  it('fits each output to the target by least squares, scale and offset', () => {
    expect(Array.from(fitAffine([1, 2, 3], [3, 5, 7]))).toEqual([3, 5, 7]);
    const fitted = fitAffine([0, 1, 0, 1], [0, 2, 1, 3]);
    expect(Array.from(fitted)).toEqual([0.5, 2.5, 0.5, 2.5]);
  });

  it('does not depend on the output’s intensity scale and offset (csbdeep norm_minmse)', () => {
    const a = restorationMetrics(noisy, groundTruth, w, w);
    const b = restorationMetrics(
      noisy.map((v) => 250 * v + 1000),
      groundTruth,
      w,
      w,
    );
    expect(b.psnrDb).toBeCloseTo(a.psnrDb, 2);
    expect(b.ssim).toBeCloseTo(a.ssim, 3);
    // a negated output is fitted by a negative scale: still the same error
    expect(restorationMetrics(noisy.map((v) => -v), groundTruth, w, w).psnrDb).toBeCloseTo(a.psnrDb, 2);
  });

  it('scores the ground truth in other units as perfect, and noise as worse', () => {
    expect(restorationMetrics(groundTruth.map((v) => 3 * v + 7), groundTruth, w, w).psnrDb).toBeGreaterThan(60);
    expect(restorationMetrics(noisy, groundTruth, w, w).psnrDb).toBeLessThan(40);
  });
});
