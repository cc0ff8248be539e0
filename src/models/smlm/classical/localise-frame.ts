import type { Localisation } from '../localisation';
import { detectLocalMaxima } from './detect-maxima';
import { fitIntegratedGaussian, type FitWindow } from './fit-gaussian';
import { standardDeviation, waveletPlanes } from './wavelet-filter';

export interface CameraCalibration {
  /** Camera baseline, ADU. */
  readonly offsetAdu: number;
  /** ADU per detected photon (for an EMCCD, include the EM gain). */
  readonly aduPerPhoton: number;
  /** 2 for EMCCDs (excess noise factor squared), 1 otherwise; scales the uncertainty. */
  readonly excessNoiseFactor?: number;
}

export interface ClassicalOptions {
  readonly pixelSizeNm: number;
  /** Starting guess for the PSF width, nm. */
  readonly psfSigmaNm?: number;
  readonly camera?: CameraCalibration;
  /** Detection threshold as a multiple of the noise (standard deviation of the first wavelet plane). */
  readonly thresholdFactor?: number;
  /** Half-width of the fitting window, pixels (default about 3 σ). */
  readonly fitRadiusPx?: number;
  /** Accepted range of fitted PSF widths, as multiples of psfSigmaNm. */
  readonly sigmaRange?: readonly [number, number];
}

export const DEFAULT_CAMERA: CameraCalibration = { offsetAdu: 100, aduPerPhoton: 1 };

/**
 * Localisation precision of a least-squares Gaussian fit (Thompson et al. 2002 as refined by Mortensen et al.
 * 2010, the formula ThunderSTORM reports), nm.
 */
export function localisationUncertaintyNm(sigmaNm: number, pixelNm: number, photons: number, backgroundPhotons: number, excessNoise = 1): number {
  if (!(photons > 0)) return Number.POSITIVE_INFINITY;
  const sa2 = sigmaNm * sigmaNm + (pixelNm * pixelNm) / 12;
  const b2 = Math.max(0, backgroundPhotons);
  const variance = ((excessNoise * sa2) / photons) * (16 / 9 + (8 * Math.PI * sa2 * b2) / (photons * pixelNm * pixelNm));
  return Math.sqrt(variance);
}

function cutWindow(frame: Float32Array, width: number, height: number, cx: number, cy: number, radius: number, offset: number): FitWindow {
  const x0 = Math.max(0, cx - radius);
  const y0 = Math.max(0, cy - radius);
  const x1 = Math.min(width - 1, cx + radius);
  const y1 = Math.min(height - 1, cy + radius);
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const pixels = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixels[y * w + x] = frame[(y0 + y) * width + x0 + x] - offset;
  return { pixels, x0, y0, width: w, height: h };
}

/**
 * The classical single-frame pipeline (as ThunderSTORM's defaults): B-spline wavelet filtering, local maxima
 * above a noise-scaled threshold, then a least-squares fit of a pixel-integrated Gaussian around each maximum.
 * Fits that do not converge, leave their window or have an implausible width are rejected.
 */
export function localiseFrame(pixels: ArrayLike<number>, width: number, height: number, frameNumber: number, options: ClassicalOptions): Localisation[] {
  const camera = options.camera ?? DEFAULT_CAMERA;
  const pixelNm = options.pixelSizeNm;
  const sigmaGuessPx = (options.psfSigmaNm ?? 1.3 * pixelNm) / pixelNm;
  const radius = options.fitRadiusPx ?? Math.max(2, Math.ceil(3 * sigmaGuessPx));
  const [minSigma, maxSigma] = options.sigmaRange ?? [0.5, 2.2];
  const frame = Float32Array.from(pixels);
  const { f1, f2 } = waveletPlanes(frame, width, height);
  const threshold = (options.thresholdFactor ?? 1) * standardDeviation(f1);
  const candidates = detectLocalMaxima(f2, width, height, threshold);
  const found: Localisation[] = [];
  for (const c of candidates) {
    const window = cutWindow(frame, width, height, c.xPx, c.yPx, radius, camera.offsetAdu);
    let minValue = Infinity;
    let sum = 0;
    for (const v of window.pixels) {
      minValue = Math.min(minValue, v);
      sum += v;
    }
    const start = {
      xPx: c.xPx + 0.5,
      yPx: c.yPx + 0.5,
      background: minValue,
      amplitude: Math.max(1, sum - minValue * window.pixels.length),
      sigmaPx: sigmaGuessPx,
    };
    const fit = fitIntegratedGaussian(window, start);
    const moved = Math.hypot(fit.xPx - start.xPx, fit.yPx - start.yPx);
    const plausible =
      fit.converged &&
      fit.amplitude > 0 &&
      moved < 1.5 &&
      fit.sigmaPx > minSigma * sigmaGuessPx &&
      fit.sigmaPx < maxSigma * sigmaGuessPx &&
      fit.xPx >= 0 && fit.yPx >= 0 && fit.xPx < width && fit.yPx < height;
    if (!plausible) continue;
    const photons = fit.amplitude / camera.aduPerPhoton;
    const backgroundPhotons = fit.background / camera.aduPerPhoton;
    const sigmaNm = fit.sigmaPx * pixelNm;
    found.push({
      frame: frameNumber,
      xNm: fit.xPx * pixelNm,
      yNm: fit.yPx * pixelNm,
      photons,
      sigmaNm,
      uncertaintyNm: localisationUncertaintyNm(sigmaNm, pixelNm, photons, backgroundPhotons, camera.excessNoiseFactor ?? 1),
    });
  }
  return found;
}
