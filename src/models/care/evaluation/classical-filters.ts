/** The classical denoisers CARE is compared with: a Gaussian filter and a median filter (mirrored borders). */

const mirror = (i: number, n: number) => (i < 0 ? Math.min(n - 1, -i - 1) : i >= n ? Math.max(0, 2 * n - i - 1) : i);

function gaussianKernel(sigmaPx: number): Float32Array {
  const radius = Math.max(1, Math.ceil(4 * sigmaPx));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigmaPx * sigmaPx));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}

/** Separable Gaussian blur of standard deviation `sigmaPx` (scipy.ndimage.gaussian_filter, mode 'reflect', truncate 4). */
export function gaussianFilter(pixels: ArrayLike<number>, widthPx: number, heightPx: number, sigmaPx: number): Float32Array {
  if (sigmaPx <= 0) return Float32Array.from(pixels);
  const kernel = gaussianKernel(sigmaPx);
  const r = (kernel.length - 1) / 2;
  const rows = new Float32Array(widthPx * heightPx);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += kernel[k + r] * pixels[y * widthPx + mirror(x + k, widthPx)];
      rows[y * widthPx + x] = s;
    }
  }
  const out = new Float32Array(widthPx * heightPx);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += kernel[k + r] * rows[mirror(y + k, heightPx) * widthPx + x];
      out[y * widthPx + x] = s;
    }
  }
  return out;
}

/** Median over the (2r+1)² window (scipy.ndimage.median_filter, mode 'reflect'). */
export function medianFilter(pixels: ArrayLike<number>, widthPx: number, heightPx: number, radiusPx: number): Float32Array {
  const side = 2 * radiusPx + 1;
  const window = new Float32Array(side * side);
  const out = new Float32Array(widthPx * heightPx);
  const middle = (window.length - 1) >> 1;
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      let n = 0;
      for (let dy = -radiusPx; dy <= radiusPx; dy++) {
        const row = mirror(y + dy, heightPx) * widthPx;
        for (let dx = -radiusPx; dx <= radiusPx; dx++) window[n++] = pixels[row + mirror(x + dx, widthPx)];
      }
      window.sort();
      out[y * widthPx + x] = window[middle];
    }
  }
  return out;
}

export interface NonLocalMeansOptions {
  /** Filtering parameters h (frame units): one output per value, sharing the patch distances. */
  readonly h: readonly number[];
  /** The noise σ subtracted from patch distances (Buades et al. 2011: weight exp(−max(d² − 2σ², 0) / h²)). */
  readonly sigma: number;
  /** Patch half-width: 3 is a 7×7 patch. */
  readonly patchRadiusPx?: number;
  /** Search window half-width: 10 is 21×21. */
  readonly searchRadiusPx?: number;
}

/**
 * Non-local means (Buades, Coll & Morel 2005), pixelwise, with the mean squared difference of square patches as
 * distance, computed per offset with an integral image (Darbon et al. 2008: the cost does not grow with the patch).
 * Mirrored borders as above. Returns one filtered frame per h.
 */
export function nonLocalMeans(pixels: ArrayLike<number>, widthPx: number, heightPx: number, options: NonLocalMeansOptions): Float32Array[] {
  const r = options.patchRadiusPx ?? 3;
  const s = options.searchRadiusPx ?? 10;
  const pad = r + s;
  const pw = widthPx + 2 * pad;
  const ph = heightPx + 2 * pad;
  const padded = new Float64Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) padded[y * pw + x] = pixels[mirror(y - pad, heightPx) * widthPx + mirror(x - pad, widthPx)];
  }
  const area = widthPx * heightPx;
  const hs = options.h;
  const numerators = hs.map(() => new Float64Array(area));
  const denominators = hs.map(() => new Float64Array(area));
  const inverseH2 = hs.map((h) => 1 / Math.max(h * h, 1e-30));
  const floor = 2 * options.sigma * options.sigma;
  const patchArea = (2 * r + 1) ** 2;
  // integral of the squared differences over the image grown by r on each side (its top row and left column 0)
  const gw = widthPx + 2 * r;
  const gh = heightPx + 2 * r;
  const integral = new Float64Array((gw + 1) * (gh + 1));
  for (let dy = -s; dy <= s; dy++) {
    for (let dx = -s; dx <= s; dx++) {
      for (let y = 0; y < gh; y++) {
        let row = 0;
        const at = (y + s) * pw + s;
        const shifted = at + dy * pw + dx;
        for (let x = 0; x < gw; x++) {
          const d = padded[at + x] - padded[shifted + x];
          row += d * d;
          integral[(y + 1) * (gw + 1) + x + 1] = integral[y * (gw + 1) + x + 1] + row;
        }
      }
      for (let y = 0; y < heightPx; y++) {
        for (let x = 0; x < widthPx; x++) {
          const top = y * (gw + 1);
          const bottom = (y + 2 * r + 1) * (gw + 1);
          const sum = integral[bottom + x + 2 * r + 1] - integral[bottom + x] - integral[top + x + 2 * r + 1] + integral[top + x];
          const excess = Math.max(sum / patchArea - floor, 0);
          const value = padded[(y + pad + dy) * pw + x + pad + dx];
          const i = y * widthPx + x;
          for (let k = 0; k < hs.length; k++) {
            const w = Math.exp(-excess * inverseH2[k]);
            numerators[k][i] += w * value;
            denominators[k][i] += w;
          }
        }
      }
    }
  }
  return hs.map((_, k) => Float32Array.from(numerators[k], (n, i) => n / denominators[k][i]));
}
