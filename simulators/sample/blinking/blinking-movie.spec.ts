import { BlinkingMovie, BlinkingSimulationError } from './blinking-movie';
import { addIntegratedGaussian, psfSigmasNm } from './psf';

describe('blinking-emitter movie', () => {
  it('is deterministic from its seed and differs between seeds', () => {
    const a = new BlinkingMovie({ seed: 5, widthPx: 24, heightPx: 24, densityPerUm2: 2 }).take(3);
    const b = new BlinkingMovie({ seed: 5, widthPx: 24, heightPx: 24, densityPerUm2: 2 }).take(3);
    const c = new BlinkingMovie({ seed: 6, widthPx: 24, heightPx: 24, densityPerUm2: 2 }).take(3);
    expect(Buffer.from(a[2].pixels.buffer).equals(Buffer.from(b[2].pixels.buffer))).toBe(true);
    expect(a[2].emitters).toEqual(b[2].emitters);
    expect(Buffer.from(a[2].pixels.buffer).equals(Buffer.from(c[2].pixels.buffer))).toBe(false);
  });

  it('keeps the requested mean density of emitters on per frame, all inside the field', () => {
    const movie = new BlinkingMovie({
      seed: 1,
      widthPx: 32,
      heightPx: 32,
      densityPerUm2: 4,
      structures: [{ kind: 'filaments', count: 4 }],
    });
    const frames = movie.take(20);
    const perFrame = frames.reduce((n, f) => n + f.emitters.length, 0) / frames.length;
    const expected = 4 * 3.2 * 3.2;
    expect(perFrame).toBeGreaterThan(0.8 * expected);
    expect(perFrame).toBeLessThan(1.2 * expected);
    for (const e of frames.flatMap((f) => f.emitters)) {
      expect(e.xNm).toBeGreaterThanOrEqual(0);
      expect(e.xNm).toBeLessThan(3200);
      expect(e.yNm).toBeGreaterThanOrEqual(0);
      expect(e.yNm).toBeLessThan(3200);
    }
  });

  it('renders photons plus background through the camera (offset and gain)', () => {
    const movie = new BlinkingMovie({
      seed: 2,
      widthPx: 32,
      heightPx: 32,
      densityPerUm2: 0.5,
      backgroundPhotons: 10,
      backgroundVariation: 0,
      camera: { offsetAdu: 100, gainAduPerElectron: 2, readNoiseElectrons: 1 },
    });
    const frames = movie.take(10);
    let totalAdu = 0;
    let photons = 0;
    for (const f of frames) {
      for (const v of f.pixels) totalAdu += v;
      for (const e of f.emitters) photons += e.photons;
    }
    const pixels = 32 * 32 * frames.length;
    const expectedAdu = pixels * (100 + 2 * 10) + 2 * photons;
    // PSF tails leaving the field lose a little light.
    expect(totalAdu / expectedAdu).toBeGreaterThan(0.98);
    expect(totalAdu / expectedAdu).toBeLessThan(1.01);
  });

  it('matches the PSF width to the optics and separates the axes of an astigmatic PSF with depth', () => {
    const movie = new BlinkingMovie({
      seed: 3,
      widthPx: 16,
      heightPx: 16,
      densityPerUm2: 1,
      optics: { numericalAperture: 1.4, emissionWavelengthNm: 670 },
    });
    expect(movie.psfSigmaNm).toBeCloseTo((0.21 * 670) / 1.4, 0);
    const astig = { focalOffsetNm: 200, depthNm: 400 };
    const above = psfSigmasNm(100, 300, astig);
    const below = psfSigmasNm(100, -300, astig);
    expect(above.sigmaXNm).toBeLessThan(above.sigmaYNm);
    expect(below.sigmaXNm).toBeGreaterThan(below.sigmaYNm);
  });

  it('integrates the PSF to the emitter photons', () => {
    const image = new Float32Array(20 * 20);
    addIntegratedGaussian(image, 20, 20, 10.3, 9.7, 1000, 1.2, 1.6);
    expect(image.reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 0);
  });

  it('rejects impossible settings with a named error', () => {
    expect(() => new BlinkingMovie({ seed: 1, widthPx: 2, heightPx: 16, densityPerUm2: 1 })).toThrow(BlinkingSimulationError);
    expect(() => new BlinkingMovie({ seed: 1, widthPx: 16, heightPx: 16, densityPerUm2: -1 })).toThrow(/densityPerUm2/);
    expect(() => new BlinkingMovie({ seed: 1, widthPx: 16, heightPx: 16, densityPerUm2: 1, structures: [] })).toThrow(/structures/);
  });
});
