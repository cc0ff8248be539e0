import { createSpecimen } from './index';
import { moments, testCamera, testConditions } from './spec-helpers';

// 64 × 0.5 µm = 32 µm fields, aligned with the 2 µm bleaching patches. Each frame: 1 mW × 1 s = 1 mW·s.
const camera = testCamera({ widthPx: 64, heightPx: 64, pixelSizeUm: 0.5 });
const halfDoseMwS = 10;
const frameConditions = testConditions({ illuminationPowerMw: 1, exposureMs: 1000 });

function uniformFilm() {
  return createSpecimen({ seed: 2, pattern: 'uniform', bleachHalfDoseMwS: halfDoseMwS, photonsPerUm2PerMwS: 1000 });
}

const centreOf = (image: Float32Array) => image[32 * 64 + 32];

describe('photobleaching', () => {
  it('halves the signal after the half dose, and halves it again after twice that', () => {
    const film = uniformFilm();
    const fresh = centreOf(film.expectedElectrons(frameConditions, camera));
    for (let frame = 1; frame <= 20; frame++) {
      film.render({ ...frameConditions, timeS: frame }, camera);
      const now = centreOf(film.expectedElectrons(frameConditions, camera));
      expect(now / fresh).toBeCloseTo(Math.pow(2, -frame / halfDoseMwS), 5);
      if (frame === 10) expect(now / fresh).toBeCloseTo(0.5, 5);
      if (frame === 20) expect(now / fresh).toBeCloseTo(0.25, 5);
    }
    expect(film.doseAt(0, 0)).toBeCloseTo(20, 9);
    expect(film.remainingFluorescenceAt(0, 0)).toBeCloseTo(0.25, 9);
  });

  it('averages the fading during one exposure into that frame', () => {
    // Unbleached film, one exposure of the whole half dose: mean of 2^(−d/H) over d in [0, H] = 1 / (2 ln 2).
    const film = uniformFilm();
    const oneFrame = centreOf(film.expectedElectrons({ ...frameConditions, exposureMs: 10_000 }, camera));
    const unbleachedRate = centreOf(film.expectedElectrons({ ...frameConditions, exposureMs: 1e-6 }, camera)) / 1e-6;
    expect(oneFrame / (unbleachedRate * 10_000)).toBeCloseTo(1 / (2 * Math.LN2), 4);
  });

  it('lowers the measured frames as the dose accumulates', () => {
    const film = uniformFilm();
    const electrons = centreOf(film.expectedElectrons(frameConditions, camera));
    const means = Array.from({ length: 21 }, (_, frame) => moments(film.render({ ...frameConditions, timeS: frame }, camera)).mean);
    const signal = (adu: number) => (adu - camera.offsetAdu) / camera.gainAduPerElectron;
    // 0.8 × 1000 × 0.25 µm² × 1 mW·s = 200 electrons; on 4096 pixels the frame means are good to about 0.1 %.
    expect(signal(means[0]) / electrons).toBeCloseTo(1, 2);
    expect(signal(means[10]) / electrons).toBeCloseTo(0.5, 2);
    expect(signal(means[20]) / electrons).toBeCloseTo(0.25, 2);
  });

  it('bleaches only the field that was lit', () => {
    const film = uniformFilm();
    for (let frame = 0; frame < 10; frame++) film.render(frameConditions, camera);
    expect(film.remainingFluorescenceAt(0, 0)).toBeCloseTo(0.5, 9);
    // The field spans −16…16 µm; 40 µm away nothing was lit.
    expect(film.doseAt(40, 0)).toBe(0);
    expect(film.remainingFluorescenceAt(40, 0)).toBe(1);
    const elsewhere = film.expectedElectrons({ ...frameConditions, stageXUm: 100 }, camera);
    const unbleached = uniformFilm().expectedElectrons(frameConditions, camera);
    expect(centreOf(elsewhere)).toBeCloseTo(centreOf(unbleached), 5);
    // Half-way over the lit field, half the frame is bleached.
    const overlapping = film.expectedElectrons({ ...frameConditions, stageXUm: 16 }, camera);
    expect(overlapping[32 * 64 + 10] / overlapping[32 * 64 + 50]).toBeCloseTo(0.5, 5);
  });

  it('does not bleach in the dark, and counts light given outside exposures', () => {
    const film = uniformFilm();
    for (let frame = 0; frame < 5; frame++) film.render({ ...frameConditions, illuminationPowerMw: 0 }, camera);
    expect(film.doseAt(0, 0)).toBe(0);
    film.recordIllumination(frameConditions, camera, 10_000);
    expect(film.doseAt(0, 0)).toBeCloseTo(10, 9);
    expect(film.remainingFluorescenceAt(0, 0)).toBeCloseTo(0.5, 9);
  });

  it('never bleaches with an infinite half dose', () => {
    const film = createSpecimen({ seed: 2, pattern: 'uniform', bleachHalfDoseMwS: Infinity });
    const fresh = centreOf(film.expectedElectrons(frameConditions, camera));
    for (let frame = 0; frame < 5; frame++) film.render(frameConditions, camera);
    expect(centreOf(film.expectedElectrons(frameConditions, camera))).toBe(fresh);
  });
});
