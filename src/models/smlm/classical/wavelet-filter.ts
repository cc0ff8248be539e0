/**
 * Separable convolution with mirrored borders; `step` dilates the kernel (à trous algorithm).
 */
function convolveSeparable(image: Float32Array, width: number, height: number, kernel: readonly number[], step: number): Float32Array {
  const radius = (kernel.length - 1) / 2;
  const mirror = (i: number, n: number) => {
    let j = i;
    while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - j - 1;
    return j;
  };
  const rows = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) acc += kernel[k + radius] * image[row + mirror(x + k * step, width)];
      rows[row + x] = acc;
    }
  }
  const out = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let k = -radius; k <= radius; k++) {
      const src = mirror(y + k * step, height) * width;
      const weight = kernel[k + radius];
      const dst = y * width;
      for (let x = 0; x < width; x++) out[dst + x] += weight * rows[src + x];
    }
  }
  return out;
}

const B3_SPLINE = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

export interface WaveletPlanes {
  /** First wavelet plane (image minus its first smoothing): mostly noise, used for the threshold. */
  readonly f1: Float32Array;
  /** Second wavelet plane: spots of the PSF's scale, background removed. */
  readonly f2: Float32Array;
}

/** The B-spline "à trous" wavelet decomposition ThunderSTORM uses for spot detection (Izeddin et al. 2012). */
export function waveletPlanes(image: Float32Array, width: number, height: number): WaveletPlanes {
  const v1 = convolveSeparable(image, width, height, B3_SPLINE, 1);
  const v2 = convolveSeparable(v1, width, height, B3_SPLINE, 2);
  const f1 = new Float32Array(image.length);
  const f2 = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) {
    f1[i] = image[i] - v1[i];
    f2[i] = v1[i] - v2[i];
  }
  return { f1, f2 };
}

export function standardDeviation(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return Math.sqrt(sq / values.length);
}
