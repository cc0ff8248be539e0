import { createSpecimen, FWHM_PER_SIGMA, psfSigmaUm } from './index';
import { testCamera, testConditions } from './spec-helpers';

/**
 * A bead (a point source on the coverslip, z = 0) imaged at several defocus distances. The stage is offset by half
 * a pixel so the bead sits on a pixel centre of the even-sized frame.
 */
const pixelUm = 0.04;
const sidePx = 128;
const camera = testCamera({ widthPx: sidePx, heightPx: sidePx, pixelSizeUm: pixelUm });
const optics = { emissionWavelengthNm: 520, numericalAperture: 0.75 };
const specimen = createSpecimen({ seed: 1, pattern: 'beads', backgroundDensity: 0, bleachHalfDoseMwS: Infinity });

/** FWHM of the row through the brightest pixel, µm, from half-maximum crossings interpolated between pixels. */
function fwhmUm(image: Float32Array): number {
  let peak = 0;
  for (let i = 1; i < image.length; i++) if (image[i] > image[peak]) peak = i;
  const row = Math.floor(peak / sidePx);
  const column = peak % sidePx;
  const profile = image.subarray(row * sidePx, (row + 1) * sidePx);
  const half = profile[column] / 2;
  let left = column;
  while (left > 0 && profile[left - 1] > half) left--;
  let right = column;
  while (right < sidePx - 1 && profile[right + 1] > half) right++;
  const leftCrossing = left - 1 + (half - profile[left - 1]) / (profile[left] - profile[left - 1]);
  const rightCrossing = right + (profile[right] - half) / (profile[right] - profile[right + 1]);
  return (rightCrossing - leftCrossing) * pixelUm;
}

function imageAt(defocusUm: number): Float32Array {
  const conditions = testConditions({ ...optics, stageXUm: pixelUm / 2, stageYUm: pixelUm / 2, focusZUm: defocusUm });
  return specimen.expectedElectrons(conditions, camera);
}

describe('defocus and the point-spread function', () => {
  const defocusUm = [0, 0.5, 1, 2, 3];
  const widths = new Map(
    defocusUm.flatMap((dz) => [
      [dz, fwhmUm(imageAt(dz))],
      [-dz, fwhmUm(imageAt(-dz))],
    ]),
  );

  it('widens the image of a point as the focus moves away from it, either way', () => {
    for (let i = 1; i < defocusUm.length; i++) {
      expect(widths.get(defocusUm[i])!).toBeGreaterThan(widths.get(defocusUm[i - 1])! * 1.05);
      expect(widths.get(-defocusUm[i])!).toBeGreaterThan(widths.get(-defocusUm[i - 1])! * 1.05);
    }
  });

  it('blurs the same above and below focus', () => {
    for (const dz of defocusUm) expect(Math.abs(widths.get(dz)! - widths.get(-dz)!)).toBeLessThan(0.02 * widths.get(dz)!);
  });

  it('follows the Gaussian-beam model: FWHM = 2.355 · 0.21 λ/NA · sqrt(1 + (dz/zR)²)', () => {
    for (const dz of defocusUm) {
      const theoryUm = FWHM_PER_SIGMA * psfSigmaUm(optics.emissionWavelengthNm, optics.numericalAperture, dz);
      expect(Math.abs(widths.get(dz)! - theoryUm)).toBeLessThan(0.06 * theoryUm);
    }
    // In focus: 2.355 × 0.21 × 0.52 µm / 0.75 = 0.343 µm.
    expect(widths.get(0)!).toBeGreaterThan(0.32);
    expect(widths.get(0)!).toBeLessThan(0.37);
  });

  it('takes a high-NA objective to be oil immersed, which deepens its focus', () => {
    const oil = { emissionWavelengthNm: 520, numericalAperture: 1.4 };
    const conditions = testConditions({ ...oil, stageXUm: pixelUm / 2, stageYUm: pixelUm / 2, focusZUm: 0.5 });
    const theoryUm = FWHM_PER_SIGMA * psfSigmaUm(oil.emissionWavelengthNm, oil.numericalAperture, 0.5, 1.515);
    expect(Math.abs(fwhmUm(specimen.expectedElectrons(conditions, camera)) - theoryUm)).toBeLessThan(0.06 * theoryUm);
  });

  it('keeps the light of the point while spreading it', () => {
    const total = (image: Float32Array) => image.reduce((a, b) => a + b, 0);
    const inFocus = total(imageAt(0));
    // At 3 µm the PSF (sigma ≈ 0.5 µm) still fits in the 5 µm frame.
    expect(Math.abs(total(imageAt(3)) - inFocus)).toBeLessThan(0.01 * inFocus);
  });
});
