/**
 * The widefield point-spread function as a Gaussian whose width grows away from focus like a Gaussian beam:
 * sigma(dz) = sigma0 · sqrt(1 + (dz / zR)²), with sigma0 = 0.21 λ / NA (the best Gaussian fit to the Airy disk)
 * and zR = n λ / NA² (the depth of field, the axial scale at which the blur doubles its area).
 */

/** In-focus width (standard deviation) of the PSF, µm. */
export function inFocusSigmaUm(emissionWavelengthNm: number, numericalAperture: number): number {
  return (0.21 * (emissionWavelengthNm / 1000)) / numericalAperture;
}

/** Defocus over which the PSF's area doubles, µm. */
export function focalDepthUm(emissionWavelengthNm: number, numericalAperture: number, refractiveIndex = 1): number {
  return (refractiveIndex * (emissionWavelengthNm / 1000)) / (numericalAperture * numericalAperture);
}

/** Width (standard deviation) of the widefield PSF at a defocus, µm. */
export function psfSigmaUm(emissionWavelengthNm: number, numericalAperture: number, defocusUm: number, refractiveIndex = 1): number {
  const depthUm = focalDepthUm(emissionWavelengthNm, numericalAperture, refractiveIndex);
  return inFocusSigmaUm(emissionWavelengthNm, numericalAperture) * Math.sqrt(1 + (defocusUm / depthUm) ** 2);
}

/** Full width at half maximum of a Gaussian of this standard deviation. */
export const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

/**
 * Refractive index of the immersion medium: the configured one, unless the objective's NA could not work in it
 * (NA ≥ n), in which case the objective must be immersed in water (NA up to 1.25) or oil (n = 1.515).
 */
export function immersionIndex(numericalAperture: number, configuredIndex: number): number {
  if (numericalAperture < configuredIndex) return configuredIndex;
  return numericalAperture <= 1.25 ? 1.333 : Math.max(1.515, numericalAperture);
}
