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
