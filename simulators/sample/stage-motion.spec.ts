import { createSpecimen } from './index';
import { sum, testCamera, testConditions } from './spec-helpers';

const pixelUm = 0.325;
const camera = testCamera({ widthPx: 96, heightPx: 80, pixelSizeUm: pixelUm });
const start = testConditions({ stageXUm: 20, stageYUm: -30, focusZUm: 1 });
const specimen = createSpecimen({ seed: 4, bleachHalfDoseMwS: Infinity });

/** Largest relative difference between image b and image a displaced by (dx, dy) px, away from the borders. */
function mismatch(a: Float32Array, b: Float32Array, dxPx: number, dyPx: number, borderPx = 12): number {
  const { widthPx, heightPx } = camera;
  let worst = 0;
  let scale = 0;
  for (const v of a) scale = Math.max(scale, v);
  for (let y = borderPx; y < heightPx - borderPx; y++) {
    for (let x = borderPx; x < widthPx - borderPx; x++) {
      const moved = b[y * widthPx + x];
      const original = a[(y + dyPx) * widthPx + (x + dxPx)];
      worst = Math.max(worst, Math.abs(moved - original) / scale);
    }
  }
  return worst;
}

describe('stage motion', () => {
  const before = specimen.expectedElectrons(start, camera);

  it('sees structure in the starting field', () => {
    expect(sum(before)).toBeGreaterThan(0);
    let max = 0;
    for (const v of before) max = Math.max(max, v);
    expect(max).toBeGreaterThan((3 * sum(before)) / before.length);
  });

  it('moves the image by the stage displacement divided by the pixel size', () => {
    // +7 px of stage along x brings what was at column c + 7 to column c; −4 px along y moves rows down by 4.
    const after = specimen.expectedElectrons(
      { ...start, stageXUm: start.stageXUm + 7 * pixelUm, stageYUm: start.stageYUm - 4 * pixelUm },
      camera,
    );
    expect(mismatch(before, after, 7, -4)).toBeLessThan(1e-3);
    // The match is specific to that displacement.
    expect(mismatch(before, after, 6, -4)).toBeGreaterThan(0.02);
    expect(mismatch(before, after, 7, -3)).toBeGreaterThan(0.02);
  });

  it('moves the image smoothly for a fraction of a pixel', () => {
    const beads = createSpecimen({ seed: 1, pattern: 'beads', backgroundDensity: 0, bleachHalfDoseMwS: Infinity });
    const centroidX = (image: Float32Array) => {
      let total = 0;
      let moment = 0;
      image.forEach((v, i) => {
        total += v;
        moment += v * (i % camera.widthPx);
      });
      return moment / total;
    };
    const at = (stageXUm: number) => beads.expectedElectrons({ ...start, focusZUm: 0, stageXUm, stageYUm: 0.3 }, camera);
    const reference = centroidX(at(0.1));
    for (const shiftPx of [0.25, 0.5, 1.5]) expect(centroidX(at(0.1 + shiftPx * pixelUm)) - reference).toBeCloseTo(-shiftPx, 2);
  });

  it('shows another field far away and the same one on return', () => {
    const far = specimen.expectedElectrons({ ...start, stageXUm: start.stageXUm + 150 }, camera);
    expect(mismatch(before, far, 0, 0)).toBeGreaterThan(0.05);
    const back = specimen.expectedElectrons(start, camera);
    expect(mismatch(before, back, 0, 0)).toBe(0);
  });

  it('bins pixels: half the pixels per side, each collecting four times the light of the same field', () => {
    const binned = specimen.expectedElectrons(start, { ...camera, widthPx: camera.widthPx / 2, heightPx: camera.heightPx / 2, binning: 2 });
    expect(binned.length).toBe(before.length / 4);
    expect(Math.abs(sum(binned) - sum(before)) / sum(before)).toBeLessThan(0.01);
  });
});
