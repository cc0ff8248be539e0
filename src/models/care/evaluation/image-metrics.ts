import { percentiles } from '../normalization';
import { gaussianFilter } from './classical-filters';

/**
 * Restoration metrics against ground truth, as the CARE paper computes them (csbdeep.utils.norm_minmse): the ground
 * truth is normalised by its 0.1/99.9 percentiles, each candidate is mapped onto it by the least-squares affine
 * transform (so methods with different intensity scales compare fairly), then NRMSE, PSNR (data range 1) and SSIM.
 */

export interface RestorationMetrics {
  readonly nrmse: number;
  readonly psnrDb: number;
  readonly ssim: number;
}

/** a·x + b closest to y in the least-squares sense. */
export function fitAffine(x: ArrayLike<number>, y: ArrayLike<number>): Float32Array {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  const a = sxx > 0 ? sxy / sxx : 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = a * (x[i] - mx) + my;
  return out;
}

export function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** Mean SSIM (Wang et al. 2004): Gaussian window σ = 1.5, K1 = 0.01, K2 = 0.03, borders of 5 px left out. */
export function ssim(a: Float32Array, b: Float32Array, widthPx: number, heightPx: number, dataRange = 1): number {
  const blur = (v: Float32Array) => gaussianFilter(v, widthPx, heightPx, 1.5);
  const product = (u: Float32Array, v: Float32Array) => u.map((value, i) => value * v[i]);
  const muA = blur(a);
  const muB = blur(b);
  const aa = blur(product(a, a));
  const bb = blur(product(b, b));
  const ab = blur(product(a, b));
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  const border = 5;
  let sum = 0;
  let n = 0;
  for (let y = border; y < heightPx - border; y++) {
    for (let x = border; x < widthPx - border; x++) {
      const i = y * widthPx + x;
      const va = aa[i] - muA[i] * muA[i];
      const vb = bb[i] - muB[i] * muB[i];
      const cov = ab[i] - muA[i] * muB[i];
      sum += ((2 * muA[i] * muB[i] + c1) * (2 * cov + c2)) / ((muA[i] ** 2 + muB[i] ** 2 + c1) * (va + vb + c2));
      n++;
    }
  }
  return sum / n;
}

/** Ground truth normalised by its 0.1 and 99.9 percentiles. */
export function normalizeGroundTruth(groundTruth: ArrayLike<number>): Float32Array {
  const [low, high] = percentiles(groundTruth, [0.1, 99.9]);
  const scale = 1 / (high - low || 1);
  return Float32Array.from(groundTruth, (v) => (v - low) * scale);
}

/**
 * (fitted candidate − normalised ground truth)² per pixel, normalised and fitted over the whole frame as
 * restorationMetrics does: the mean over any region is that region's share of the frame's error, in its units.
 */
export function normalizedSquaredErrors(candidate: ArrayLike<number>, groundTruth: ArrayLike<number>): Float32Array {
  const gt = normalizeGroundTruth(groundTruth);
  const fitted = fitAffine(candidate, gt);
  for (let i = 0; i < fitted.length; i++) fitted[i] = (fitted[i] - gt[i]) ** 2;
  return fitted;
}

export function restorationMetrics(candidate: ArrayLike<number>, groundTruth: ArrayLike<number>, widthPx: number, heightPx: number): RestorationMetrics {
  const gt = normalizeGroundTruth(groundTruth);
  const fitted = fitAffine(candidate, gt);
  const rmse = Math.sqrt(meanSquaredError(fitted, gt));
  return { nrmse: rmse, psnrDb: -20 * Math.log10(rmse), ssim: ssim(fitted, gt, widthPx, heightPx, 1) };
}
