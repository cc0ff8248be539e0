import { careScopeSchema } from './care-package';
import { fitCrossValidatedCalibration, SIMPLER_FORM_TOLERANCE_DB, type GroupedSample } from './cross-validated-calibration';
import { applyCalibration, calibrationErrors, qualityCalibrationSchema } from './quality-calibration';
import { SeededRandom } from './training/seeded-random';

/**
 * Synthetic tiles as a briefly trained model gives them: its own figure ~10 dB whatever the truth, the measured PSNR
 * ≈ input PSNR + 3 dB with 1 dB of scatter, each pair at its own light level.
 */
function tiles(pairs: number, perPair: number, seed = 7): GroupedSample[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: pairs * perPair }, (_, n) => {
    const pair = Math.floor(n / perPair);
    const inputPsnrDb = 14 + 3 * pair + 4 * random.next();
    const measuredPsnrDb = inputPsnrDb + 3 + 2 * (random.next() - 0.5);
    return { group: `00${pair}.tif`, predictedPsnrDb: 10 + 0.5 * random.next() - 0.02 * inputPsnrDb, inputPsnrDb, peakPhotons: 10 + 5 * pair, measuredPsnrDb };
  });
}

describe('the PSNR calibration chosen by cross-validation', () => {
  it('reports the error of the folds, not of the fitting samples, and refits the best form on all tiles', () => {
    const samples = tiles(3, 12);
    const fit = fitCrossValidatedCalibration(samples, '36 test tiles');
    expect(fit.crossValidation).toBe('leave-one-pair-out over 3 pairs');
    expect(fit.forms.map((f) => f.form)).toEqual(['offset', 'affine', 'affine-input', 'first-order', 'full']);
    const calibration = fit.calibration!;
    const chosen = fit.forms.find((f) => f.form === (calibration.form ?? 'full'))!;
    expect(chosen.meanAbsErrorDb).toBeLessThanOrEqual(Math.min(...fit.forms.map((f) => f.meanAbsErrorDb)) + SIMPLER_FORM_TOLERANCE_DB);
    // the input PSNR carries the truth here: a form without it cannot be chosen
    expect(['offset', 'affine']).not.toContain(calibration.form);
    expect(calibration.heldOut).toMatchObject({ pairs: 3, tiles: 36, crossValidation: fit.crossValidation, meanAbsErrorAfterDb: chosen.meanAbsErrorDb });
    expect(calibration.heldOut!.meanAbsErrorBeforeDb).toBeGreaterThan(10);
    // the pairs at the ends of the light range are scored by a map that will not extrapolate to them
    expect(chosen.meanAbsErrorDb).toBeLessThan(2);
    // on the samples it was fitted on it does better than on the pairs it had not seen
    expect(calibrationErrors(calibration, samples).meanAbsErrorAfterDb).toBeLessThan(chosen.meanAbsErrorDb);
    expect(calibration.fittedOn).toBe('36 test tiles');
  });

  it('falls back on reduced forms when the folds are small, and k-fold over one pair', () => {
    const few = fitCrossValidatedCalibration(tiles(2, 5), 'few');
    expect(few.forms.map((f) => f.form)).toEqual(['offset', 'affine']);
    expect(few.calibration!.coefficients.slice(2).every((c) => c === 0)).toBe(true);
    const one = fitCrossValidatedCalibration(tiles(1, 20), 'one pair');
    expect(one.crossValidation).toBe("5-fold over contiguous blocks of one pair's tiles");
    expect(one.calibration?.heldOut?.pairs).toBe(1);
  });

  it('stores an offset as the eight coefficients with p at 1, and never leaves what it was fitted on', () => {
    // the network's figure right but for 4 dB: nothing but an offset is needed
    const samples = tiles(2, 6).map((s) => ({ ...s, predictedPsnrDb: s.measuredPsnrDb - 4 + 0.01 * Math.sin(s.inputPsnrDb) }));
    const calibration = fitCrossValidatedCalibration(samples, 'offset tiles').calibration!;
    expect(calibration.form).toBe('offset');
    expect(calibration.coefficients[0]).toBeCloseTo(4, 1);
    expect(calibration.coefficients.slice(1)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    const [low, high] = calibration.measuredRange;
    expect(applyCalibration(calibration, { predictedPsnrDb: 90, inputPsnrDb: 90, peakPhotons: 1e6 })).toBe(high);
    // a figure far below is clamped to the lowest it was fitted on, then offset
    const far = applyCalibration(calibration, { predictedPsnrDb: -40, inputPsnrDb: -40, peakPhotons: null });
    expect(far).toBeCloseTo(calibration.featureRanges[0][0] + calibration.coefficients[0], 9);
    expect(far).toBeGreaterThanOrEqual(low);
  });

  it('scores whole frames by the fold that left their pair out', () => {
    const samples = tiles(3, 10);
    const frames = [0, 1, 2].map((pair) => ({ ...samples[pair * 10], group: `00${pair}.tif`, measuredPsnrDb: samples[pair * 10].measuredPsnrDb + 10 }));
    const fit = fitCrossValidatedCalibration(samples, 'tiles', frames);
    expect(fit.wholeFrames).toEqual({ frames: 3, meanAbsErrorBeforeDb: expect.any(Number), meanAbsErrorAfterDb: expect.any(Number) });
    // 10 dB above every tile: the map, clamped to the tiles' measured range, cannot reach them
    expect(fit.wholeFrames!.meanAbsErrorAfterDb).toBeGreaterThan(5);
    expect(fit.calibration!.heldOut).toMatchObject({ wholeFrames: fit.wholeFrames });
    expect(fitCrossValidatedCalibration(tiles(1, 20), 'one pair', frames.slice(0, 1)).wholeFrames).toBeUndefined();
  });

  it('stores nothing when no form beats the network’s own figure', () => {
    const exact = tiles(2, 8).map((s) => ({ ...s, predictedPsnrDb: s.measuredPsnrDb }));
    const fit = fitCrossValidatedCalibration(exact, 'exact');
    expect(fit.calibration).toBeNull();
    expect(fit.meanAbsErrorBeforeDb).toBe(0);
    expect(fit.reason).toMatch(/^in cross-validation no calibration came closer than the network's own figure/);
  });

  it('is read back from a package by the schema the live branch reads', () => {
    const calibration = fitCrossValidatedCalibration(tiles(2, 6), 'stored').calibration!;
    expect(qualityCalibrationSchema.parse(JSON.parse(JSON.stringify(calibration)))).toEqual(calibration);
    const scope = careScopeSchema.parse({
      kind: 'care',
      architecture: { kernelSize: 3, depth: 2, firstFilters: 4, convsPerLevel: 2, residual: true, probabilistic: true },
      normalization: { lowPercent: 1, highPercent: 99.8 },
      training: { mode: 'supervised' },
      qualityCalibration: calibration,
    });
    expect(scope.qualityCalibration?.form).toBe(calibration.form);
    expect(() => qualityCalibrationSchema.parse({ ...calibration, form: 'quadratic' })).toThrow();
  });
});
