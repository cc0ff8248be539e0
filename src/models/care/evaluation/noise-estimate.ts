/**
 * Robust noise estimates from a single frame, with no clean reference: the median absolute deviation of the
 * image's discrete Laplacian (Immerkær's idea: the Laplacian cancels smooth structure and leaves the noise), and the
 * noise-level function var(I) = a·I + b of Poisson–Gaussian camera noise, fitted over intensity bins (Foi et al.
 * 2008), from which the photons per ADU follow.
 */

/** Normal σ from a median absolute deviation. */
const MAD_TO_SIGMA = 1.4826;
/** Sum of the squares of the kernel [0 1 0; 1 −4 1; 0 1 0]: its response to white noise of σ has σ·√20. */
const LAPLACIAN_NORM = Math.sqrt(20);

function median(values: Float32Array): number {
  if (values.length === 0) return NaN;
  const sorted = Float32Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
}

/**
 * σ from the MAD; where more than half the residuals are equal (integer ADU with noise below 1 ADU) the MAD is 0,
 * and the root mean square, not robust but not blind, stands in.
 */
function madSigma(values: Float32Array): number {
  const m = median(values);
  const mad = MAD_TO_SIGMA * median(values.map((v) => Math.abs(v - m)));
  if (mad > 0 || values.length === 0) return mad;
  let sq = 0;
  for (const v of values) sq += (v - m) ** 2;
  return Math.sqrt(sq / values.length);
}

/** Interior pixels sampled on a grid of this step: at most about `maxSamples` of them (the medians stay cheap). */
function sampleStep(widthPx: number, heightPx: number, maxSamples: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(((widthPx - 2) * (heightPx - 2)) / maxSamples)));
}

/** Laplacian residuals (unit-variance for white noise of σ 1) and 3×3 local means of sampled interior pixels. */
function laplacianResiduals(pixels: ArrayLike<number>, widthPx: number, heightPx: number, maxSamples = Infinity) {
  const step = sampleStep(widthPx, heightPx, maxSamples);
  const n = Math.max(0, Math.ceil((widthPx - 2) / step) * Math.ceil((heightPx - 2) / step));
  const residuals = new Float32Array(n);
  const localMeans = new Float32Array(n);
  let k = 0;
  for (let y = 1; y < heightPx - 1; y += step) {
    for (let x = 1; x < widthPx - 1; x += step) {
      const i = y * widthPx + x;
      const [c, l, r, u, d] = [pixels[i], pixels[i - 1], pixels[i + 1], pixels[i - widthPx], pixels[i + widthPx]];
      residuals[k] = (l + r + u + d - 4 * c) / LAPLACIAN_NORM;
      localMeans[k++] = (c + l + r + u + d + pixels[i - widthPx - 1] + pixels[i - widthPx + 1] + pixels[i + widthPx - 1] + pixels[i + widthPx + 1]) / 9;
    }
  }
  return { residuals, localMeans };
}

/** σ of the noise, in the frame's units, as if it were the same everywhere (MAD of the Laplacian). */
export function estimateNoiseSigma(pixels: ArrayLike<number>, widthPx: number, heightPx: number, maxSamples = Infinity): number {
  return madSigma(laplacianResiduals(pixels, widthPx, heightPx, maxSamples).residuals);
}

export interface NoiseLevelFunction {
  /** var = slope·I + intercept: slope is the ADU per detected photon (×2 for an EMCCD's excess noise). */
  readonly slope: number;
  readonly intercept: number;
  /** The bins fitted: mean intensity and noise variance of each. */
  readonly bins: ReadonlyArray<{ readonly meanAdu: number; readonly variance: number }>;
}

/** The Poisson–Gaussian noise-level function by least squares over `binCount` intensity quantile bins. */
export function fitNoiseLevel(pixels: ArrayLike<number>, widthPx: number, heightPx: number, binCount = 8, maxSamples = Infinity): NoiseLevelFunction {
  const { residuals, localMeans } = laplacianResiduals(pixels, widthPx, heightPx, maxSamples);
  const order = Uint32Array.from(localMeans.keys()).sort((a, b) => localMeans[a] - localMeans[b]);
  const bins: Array<{ meanAdu: number; variance: number }> = [];
  for (let b = 0; b < binCount; b++) {
    const from = Math.floor((b * order.length) / binCount);
    const to = Math.floor(((b + 1) * order.length) / binCount);
    if (to - from < 16) continue;
    const r = new Float32Array(to - from);
    let mean = 0;
    for (let j = from; j < to; j++) {
      r[j - from] = residuals[order[j]];
      mean += localMeans[order[j]];
    }
    bins.push({ meanAdu: mean / (to - from), variance: madSigma(r) ** 2 });
  }
  const n = bins.length;
  const mx = bins.reduce((s, b) => s + b.meanAdu, 0) / n;
  const my = bins.reduce((s, b) => s + b.variance, 0) / n;
  const sxx = bins.reduce((s, b) => s + (b.meanAdu - mx) ** 2, 0);
  const sxy = bins.reduce((s, b) => s + (b.meanAdu - mx) * (b.variance - my), 0);
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx, bins };
}
