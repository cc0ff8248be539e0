/** Error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** Astigmatic PSF: a cylindrical lens separates the foci of x and y by 2·focalOffsetNm. */
export interface Astigmatism {
  readonly focalOffsetNm: number;
  /** Depth of focus of each axis, nm. */
  readonly depthNm: number;
}

/** Gaussian widths of the PSF of an emitter at height zNm, nm. */
export function psfSigmasNm(sigma0Nm: number, zNm: number, astigmatism?: Astigmatism): { sigmaXNm: number; sigmaYNm: number } {
  if (!astigmatism) return { sigmaXNm: sigma0Nm, sigmaYNm: sigma0Nm };
  const { focalOffsetNm: c, depthNm: d } = astigmatism;
  return {
    sigmaXNm: sigma0Nm * Math.sqrt(1 + ((zNm - c) / d) ** 2),
    sigmaYNm: sigma0Nm * Math.sqrt(1 + ((zNm + c) / d) ** 2),
  };
}

/**
 * Adds the photons of one emitter, spread by a pixel-integrated Gaussian PSF, to an image. Coordinates are in
 * pixels with pixel i covering [i, i+1).
 */
export function addIntegratedGaussian(
  image: Float32Array,
  widthPx: number,
  heightPx: number,
  xPx: number,
  yPx: number,
  photons: number,
  sigmaXPx: number,
  sigmaYPx: number,
): void {
  const rx = Math.ceil(4 * sigmaXPx) + 1;
  const ry = Math.ceil(4 * sigmaYPx) + 1;
  const x0 = Math.max(0, Math.floor(xPx) - rx);
  const x1 = Math.min(widthPx - 1, Math.floor(xPx) + rx);
  const y0 = Math.max(0, Math.floor(yPx) - ry);
  const y1 = Math.min(heightPx - 1, Math.floor(yPx) + ry);
  if (x0 > x1 || y0 > y1) return;
  const sx = Math.SQRT2 * sigmaXPx;
  const sy = Math.SQRT2 * sigmaYPx;
  const wx = new Float64Array(x1 - x0 + 1);
  for (let x = x0; x <= x1; x++) wx[x - x0] = 0.5 * (erf((x + 1 - xPx) / sx) - erf((x - xPx) / sx));
  for (let y = y0; y <= y1; y++) {
    const wy = photons * 0.5 * (erf((y + 1 - yPx) / sy) - erf((y - yPx) / sy));
    const row = y * widthPx;
    for (let x = x0; x <= x1; x++) image[row + x] += wy * wx[x - x0];
  }
}
