import { downsampleLinear, addBilinearUpsample } from './resample';
import { scratchArray } from './scratch';

/** Below this width (pixels) a blur changes an image by less than its sampling does; it is skipped. */
const MIN_SIGMA_PX = 0.2;
/** Up to this width, blur directly; wider, blur a 2^k-times smaller copy and interpolate back. */
const DIRECT_MAX_SIGMA_PX = 2;

/** Gaussian blur with clamped edges; returns a new image. */
export function gaussianBlur(image: Float32Array, width: number, height: number, sigmaPx: number): Float32Array {
  const out = new Float32Array(width * height);
  addGaussianBlur(image, width, height, sigmaPx, out);
  return out;
}

/**
 * Adds the Gaussian blur of `image` (clamped edges) to `target`. The cost does not grow with the width: wide blurs
 * run on a copy reduced 2^k times, blurred by what remains of the variance after the reduction (a linear spread,
 * f²/6 px² on average) and the bilinear interpolation back (f²/6 px²), so the total variance is still sigma².
 */
export function addGaussianBlur(image: Float32Array, width: number, height: number, sigmaPx: number, target: Float32Array): void {
  if (!(sigmaPx >= MIN_SIGMA_PX)) {
    for (let i = 0; i < target.length; i++) target[i] += image[i];
    return;
  }
  if (sigmaPx <= DIRECT_MAX_SIGMA_PX) {
    separableBlur(image, width, height, sigmaPx, target);
    return;
  }
  let factor = 2;
  while (residualSigmaPx(sigmaPx, factor * 2) >= 1 && Math.min(width, height) / (factor * 2) >= 8) factor *= 2;
  const lowWidth = Math.ceil(width / factor);
  const lowHeight = Math.ceil(height / factor);
  const low = downsampleLinear(image, width, height, factor);
  const blurredLow = scratchArray('pyramid.blurred', low.length);
  separableBlur(low, lowWidth, lowHeight, residualSigmaPx(sigmaPx, factor), blurredLow);
  addBilinearUpsample(blurredLow, lowWidth, lowHeight, factor, width, height, target);
}

/** The blur (in pixels of the reduced image) still needed after reducing by `factor` and interpolating back. */
function residualSigmaPx(sigmaPx: number, factor: number): number {
  const variance = sigmaPx * sigmaPx - (factor * factor) / 3;
  return variance > 0 ? Math.sqrt(variance) / factor : 0;
}

function gaussianKernel(requestedSigmaPx: number): Float32Array {
  // A vanishing width would make 0/0 at the centre tap; this one leaves the centre at 1 and the rest below 1e-40.
  const sigmaPx = Math.max(requestedSigmaPx, 0.1);
  const radius = Math.max(1, Math.ceil(3 * sigmaPx));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigmaPx * sigmaPx));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}

/**
 * Direct separable convolution, rows then columns, added into `target`. The symmetric kernel is applied three tap
 * pairs per sweep with the loop body written out: V8 runs that several times faster than a loop over taps.
 */
function separableBlur(image: Float32Array, width: number, height: number, sigmaPx: number, target: Float32Array): void {
  const kernel = gaussianKernel(sigmaPx);
  const radius = (kernel.length - 1) >> 1;
  const weightAt = (distance: number) => (distance <= radius ? kernel[radius + distance] : 0);
  const distanceAt = (distance: number) => (distance <= radius ? distance : 0);
  const rows = scratchArray('blur.rows', width * height);
  const padded = scratchArray('blur.padded', width + 2 * radius);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    padded.set(image.subarray(row, row + width), radius);
    padded.fill(image[row], 0, radius);
    padded.fill(image[row + width - 1], radius + width);
    for (let first = 1; first <= radius; first += 3) {
      const d1 = distanceAt(first);
      const d2 = distanceAt(first + 1);
      const d3 = distanceAt(first + 2);
      const w1 = weightAt(first);
      const w2 = weightAt(first + 1);
      const w3 = weightAt(first + 2);
      const w0 = first === 1 ? kernel[radius] : 0;
      for (let x = 0, c = radius; x < width; x++, c++) {
        rows[row + x] +=
          w0 * padded[c] +
          w1 * (padded[c - d1] + padded[c + d1]) +
          w2 * (padded[c - d2] + padded[c + d2]) +
          w3 * (padded[c - d3] + padded[c + d3]);
      }
    }
  }
  const rowAt = (y: number) => (y < 0 ? 0 : y >= height ? height - 1 : y) * width;
  for (let y = 0; y < height; y++) {
    const dst = y * width;
    for (let first = 1; first <= radius; first += 3) {
      const w1 = weightAt(first);
      const w2 = weightAt(first + 1);
      const w3 = weightAt(first + 2);
      const w0 = first === 1 ? kernel[radius] : 0;
      const a1 = rowAt(y - distanceAt(first));
      const b1 = rowAt(y + distanceAt(first));
      const a2 = rowAt(y - distanceAt(first + 1));
      const b2 = rowAt(y + distanceAt(first + 1));
      const a3 = rowAt(y - distanceAt(first + 2));
      const b3 = rowAt(y + distanceAt(first + 2));
      for (let x = 0; x < width; x++) {
        target[dst + x] +=
          w0 * rows[dst + x] + w1 * (rows[a1 + x] + rows[b1 + x]) + w2 * (rows[a2 + x] + rows[b2 + x]) + w3 * (rows[a3 + x] + rows[b3 + x]);
      }
    }
  }
}
