import { fft2d, powerOfTwoBelow } from './fft';

/** Standard deviation of the Gaussian the correlation surface is smoothed with, pixels. */
const SMOOTHING_PX = 1;

export interface Shift {
  /** How far the second image's content sits from the first's, pixels (+x: to the right, +y: down). */
  readonly dxPx: number;
  readonly dyPx: number;
  /** Height of the normalised correlation peak, 0–1: near 0 when the images share no structure. */
  readonly peak: number;
  /**
   * How far the peak stands above the rest of the correlation surface, in its standard deviations (outside the
   * peak's 5×5 neighbourhood). A shift read from a peak below significantPeak() may be noise, not drift.
   */
  readonly significance: number;
}

/**
 * A correlation peak this many standard deviations above the surface is more than noise: the largest of N
 * independent normal samples is about √(2 ln N), plus a margin of 2. On the simulator's 256² fields at 13 photons
 * (threshold 6.7): registered pairs 10.7–49, fields with almost nothing in the low frame 4.8–7.0.
 */
export function significantPeak(widthPx: number, heightPx: number): number {
  const sizePx = powerOfTwoBelow(Math.min(widthPx, heightPx));
  return Math.sqrt(2 * Math.log(sizePx * sizePx)) + 2;
}

/** The central power-of-two square of an image, each normalised to zero mean, unit variance, Hann-windowed. */
function windowed(pixels: ArrayLike<number>, widthPx: number, heightPx: number, sizePx: number): Float64Array {
  const x0 = Math.floor((widthPx - sizePx) / 2);
  const y0 = Math.floor((heightPx - sizePx) / 2);
  const out = new Float64Array(sizePx * sizePx);
  let sum = 0;
  for (let y = 0; y < sizePx; y++) for (let x = 0; x < sizePx; x++) sum += out[y * sizePx + x] = pixels[(y0 + y) * widthPx + x0 + x];
  const mean = sum / out.length;
  let sq = 0;
  for (let i = 0; i < out.length; i++) sq += (out[i] - mean) ** 2;
  const sd = Math.sqrt(sq / out.length) || 1;
  const hann = Float64Array.from({ length: sizePx }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / sizePx));
  for (let y = 0; y < sizePx; y++) for (let x = 0; x < sizePx; x++) out[y * sizePx + x] = ((out[y * sizePx + x] - mean) / sd) * hann[y] * hann[x];
  return out;
}

/** Vertex of the parabola through (−1, a), (0, b), (1, c): the sub-pixel offset of a peak at 0, within ±0.5. */
function parabolicOffset(a: number, b: number, c: number): number {
  const denominator = a - 2 * b + c;
  if (denominator >= 0) return 0;
  return Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denominator));
}

/**
 * Phase correlation (Kuglin & Hines 1975) of two images of the same size: the whitened cross-power spectrum's
 * inverse peaks at the translation between them; a parabola through the peak and its neighbours on each axis
 * gives the sub-pixel part. Intensities need not match (a low- and a high-light frame): each is normalised first.
 */
export function phaseCorrelate(a: ArrayLike<number>, b: ArrayLike<number>, widthPx: number, heightPx: number): Shift {
  const sizePx = powerOfTwoBelow(Math.min(widthPx, heightPx));
  const n = sizePx * sizePx;
  const aRe = windowed(a, widthPx, heightPx, sizePx);
  const bRe = windowed(b, widthPx, heightPx, sizePx);
  const aIm = new Float64Array(n);
  const bIm = new Float64Array(n);
  fft2d(aRe, aIm, sizePx, sizePx);
  fft2d(bRe, bIm, sizePx, sizePx);
  // R = conj(A)·B / |conj(A)·B|: its inverse peaks at the shift of b relative to a. Whitening gives shot noise at
  // high frequencies as much weight as structure; a Gaussian low-pass (a blur of the correlation surface by
  // SMOOTHING_PX) keeps a dim frame's noise from placing the peak.
  const frequency = (k: number) => (k <= sizePx / 2 ? k : k - sizePx) / sizePx;
  const damping = 2 * Math.PI * Math.PI * SMOOTHING_PX * SMOOTHING_PX;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const re = aRe[i] * bRe[i] + aIm[i] * bIm[i];
    const im = aRe[i] * bIm[i] - aIm[i] * bRe[i];
    const fx = frequency(i % sizePx);
    const fy = frequency(Math.floor(i / sizePx));
    const lowPass = Math.exp(-damping * (fx * fx + fy * fy));
    weightSum += lowPass;
    const weight = lowPass / (Math.hypot(re, im) || 1);
    aRe[i] = re * weight;
    aIm[i] = im * weight;
  }
  fft2d(aRe, aIm, sizePx, sizePx, true);
  let best = 0;
  for (let i = 1; i < n; i++) if (aRe[i] > aRe[best]) best = i;
  const px = best % sizePx;
  const py = Math.floor(best / sizePx);
  const at = (x: number, y: number) => aRe[((y + sizePx) % sizePx) * sizePx + ((x + sizePx) % sizePx)];
  const subX = parabolicOffset(at(px - 1, py), at(px, py), at(px + 1, py));
  const subY = parabolicOffset(at(px, py - 1), at(px, py), at(px, py + 1));
  const wrap = (p: number) => (p > sizePx / 2 ? p - sizePx : p);
  return { dxPx: wrap(px) + subX, dyPx: wrap(py) + subY, peak: aRe[best] / weightSum, significance: significance(aRe, sizePx, px, py) };
}

/** (peak − mean) / standard deviation of the surface away from the peak (its 5×5 neighbourhood left out, wrapping). */
function significance(surface: Float64Array, sizePx: number, px: number, py: number): number {
  const near = (a: number, b: number) => Math.min(Math.abs(a - b), sizePx - Math.abs(a - b)) <= 2;
  let sum = 0;
  let sq = 0;
  let count = 0;
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      if (near(x, px) && near(y, py)) continue;
      const v = surface[y * sizePx + x];
      sum += v;
      sq += v * v;
      count++;
    }
  }
  const mean = sum / count;
  const sd = Math.sqrt(Math.max(sq / count - mean * mean, 0));
  return sd > 0 ? (surface[py * sizePx + px] - mean) / sd : 0;
}
