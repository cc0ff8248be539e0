import { BlinkingMovie } from '../../../../simulators/sample/blinking';
import { scoreLocalisations } from '../metrics/match-localisations';
import { localiseFrame, localisationUncertaintyNm } from './localise-frame';

describe('classical localisation (wavelet detection + integrated-Gaussian least squares)', () => {
  it('finds isolated emitters within 20 nm RMSE on sparse simulated data', () => {
    const movie = new BlinkingMovie({
      seed: 11, widthPx: 32, heightPx: 32, densityPerUm2: 0.15, structures: [{ kind: 'uniform' }],
      photonsPerFrame: 1500, backgroundPhotons: 15,
    });
    const frames = movie.take(30);
    const found = frames.flatMap((f) => localiseFrame(f.pixels, 32, 32, f.frame, { pixelSizeNm: 100, psfSigmaNm: movie.psfSigmaNm }));
    // Isolated: emitters with no other emitter of the same frame within 500 nm.
    const truth = frames.flatMap((f) => f.emitters.filter((e) => f.emitters.every((o) => o === e || Math.hypot(o.xNm - e.xNm, o.yNm - e.yNm) > 500)));
    expect(truth.length).toBeGreaterThan(20);
    const score = scoreLocalisations(found, truth, 100);
    expect(score.recall).toBeGreaterThan(0.85);
    expect(score.rmseNm).toBeLessThan(20);
    expect(Math.abs(score.meanDxNm)).toBeLessThan(5);
    expect(Math.abs(score.meanDyNm)).toBeLessThan(5);
    const all = scoreLocalisations(found, frames.flatMap((f) => f.emitters), 100);
    expect(all.precision).toBeGreaterThan(0.9);
  });

  it('reports photons, PSF width and the Mortensen uncertainty of each fit', () => {
    const movie = new BlinkingMovie({
      seed: 12, widthPx: 24, heightPx: 24, densityPerUm2: 0.4, structures: [{ kind: 'uniform' }],
      photonsPerFrame: 3000, photonSpread: 0.01, meanOnFrames: 1000, backgroundPhotons: 10, backgroundVariation: 0,
    });
    const frames = movie.take(5);
    const locs = frames.flatMap((f) => localiseFrame(f.pixels, 24, 24, f.frame, { pixelSizeNm: 100, camera: { offsetAdu: 100, aduPerPhoton: 1 } }));
    expect(locs.length).toBeGreaterThan(0);
    for (const l of locs) {
      expect(l.photons).toBeGreaterThan(2000);
      expect(l.photons).toBeLessThan(4000);
      expect(l.sigmaNm).toBeGreaterThan(80);
      expect(l.sigmaNm).toBeLessThan(130);
      expect(l.uncertaintyNm).toBeGreaterThan(1);
      expect(l.uncertaintyNm).toBeLessThan(10);
    }
    expect(localisationUncertaintyNm(100, 100, 1000, 0)).toBeCloseTo(Math.sqrt(((100 * 100 + 10000 / 12) / 1000) * (16 / 9)), 6);
  });

  it('finds nothing on a frame of pure background', () => {
    const movie = new BlinkingMovie({ seed: 13, widthPx: 24, heightPx: 24, densityPerUm2: 0, backgroundVariation: 0 });
    expect(localiseFrame(movie.next().pixels, 24, 24, 0, { pixelSizeNm: 100 }).length).toBeLessThanOrEqual(1);
  });
});
