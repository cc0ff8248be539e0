import { createSpecimen, maxAdu } from './index';
import { extent, moments, testCamera, testConditions } from './spec-helpers';

/**
 * Uniform film, no bleaching: every pixel expects QE × photons electrons, with
 * photons = photonsPerUm2PerMwS × pixel area × power × exposure. Camera: mean ADU = offset + gain·e,
 * variance = gain²·(e + readNoise²) + 1/12 (rounding to integer ADU).
 */
const photonsPerUm2PerMwS = 1000;
const camera = testCamera({
  widthPx: 256,
  heightPx: 256,
  pixelSizeUm: 0.5,
  gainAduPerElectron: 2,
  readNoiseElectrons: 1.5,
  offsetAdu: 100,
});

function specimen() {
  return createSpecimen({ seed: 11, pattern: 'uniform', photonsPerUm2PerMwS, bleachHalfDoseMwS: Infinity });
}

function photonsPerPixel(powerMw: number, exposureMs: number): number {
  return photonsPerUm2PerMwS * camera.pixelSizeUm ** 2 * powerMw * (exposureMs / 1000);
}

describe('photon statistics of the simulated camera', () => {
  // 0.8 × 1000 × 0.25 µm² × 0.1 s × power = 20 electrons per mW.
  it.each([
    [0.1, 2],
    [1, 20],
    [10, 200],
    [100, 2000],
  ])('at %p mW the pixels have the mean and variance of %p photo-electrons', (powerMw, expectedElectrons) => {
    const conditions = testConditions({ illuminationPowerMw: powerMw, exposureMs: 100 });
    const electrons = camera.quantumEfficiency * photonsPerPixel(powerMw, 100);
    expect(electrons).toBeCloseTo(expectedElectrons, 9);

    const sample = specimen();
    const truth = sample.expectedElectrons(conditions, camera);
    expect(extent(truth).min).toBeCloseTo(electrons, 3);
    expect(extent(truth).max).toBeCloseTo(electrons, 3);

    const frame = sample.render(conditions, camera);
    const max = maxAdu(camera.bitDepth);
    const stats = moments(frame, (adu) => adu > 0 && adu < max);
    expect(stats.count).toBe(frame.length);

    const gain = camera.gainAduPerElectron;
    const theoryMean = camera.offsetAdu + gain * electrons;
    const theoryVariance = gain * gain * (electrons + camera.readNoiseElectrons ** 2) + 1 / 12;
    const meanStandardError = Math.sqrt(theoryVariance / stats.count);
    expect(Math.abs(stats.mean - theoryMean)).toBeLessThan(5 * meanStandardError);
    expect(Math.abs(stats.variance - theoryVariance)).toBeLessThan(5 * stats.varianceStandardError);
    // The check above must be able to fail: 5 standard errors are a few percent of the variance, not more.
    expect(5 * stats.varianceStandardError).toBeLessThan(0.06 * theoryVariance);
  });

  it('shows Poisson, not Gaussian, statistics at low light: the counts are integers of electrons', () => {
    // With gain 10 ADU/e and no read noise, every pixel is offset + 10·k.
    const quiet = testCamera({ widthPx: 128, heightPx: 128, gainAduPerElectron: 10, readNoiseElectrons: 0 });
    const frame = specimen().render(testConditions({ illuminationPowerMw: 0.1 }), quiet);
    const counts = new Map<number, number>();
    let offGrid = 0;
    for (const adu of frame) {
      if ((adu - quiet.offsetAdu) % 10 !== 0) offGrid++;
      const k = (adu - quiet.offsetAdu) / 10;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(offGrid).toBe(0);
    // Poisson(2): P(0) = e^−2 = 0.1353, P(2) = 2e^−2 = 0.2707.
    expect((counts.get(0) ?? 0) / frame.length).toBeCloseTo(Math.exp(-2), 2);
    expect((counts.get(2) ?? 0) / frame.length).toBeCloseTo(2 * Math.exp(-2), 2);
  });

  it('without illumination gives only offset and read noise', () => {
    const sample = specimen();
    for (const conditions of [testConditions({ illuminationPowerMw: 0 }), testConditions({ exposureMs: 0 })]) {
      expect(extent(sample.expectedElectrons(conditions, camera)).max).toBe(0);
      const stats = moments(sample.render(conditions, camera));
      const readVariance = (camera.gainAduPerElectron * camera.readNoiseElectrons) ** 2 + 1 / 12;
      expect(Math.abs(stats.mean - camera.offsetAdu)).toBeLessThan(5 * Math.sqrt(readVariance / stats.count));
      expect(Math.abs(stats.variance - readVariance)).toBeLessThan(5 * stats.varianceStandardError);
    }
  });

  it('scales the signal with QE, power, exposure and pixel area', () => {
    const sample = specimen();
    const base = testConditions({ illuminationPowerMw: 2, exposureMs: 50 });
    const reference = sample.expectedElectrons(base, camera)[0];
    expect(sample.expectedElectrons({ ...base, illuminationPowerMw: 4 }, camera)[0]).toBeCloseTo(2 * reference, 4);
    expect(sample.expectedElectrons({ ...base, exposureMs: 150 }, camera)[0]).toBeCloseTo(3 * reference, 4);
    expect(sample.expectedElectrons(base, { ...camera, quantumEfficiency: 0.4 })[0]).toBeCloseTo(reference / 2, 4);
    expect(sample.expectedElectrons(base, { ...camera, pixelSizeUm: 1 })[0]).toBeCloseTo(4 * reference, 4);
  });
});
