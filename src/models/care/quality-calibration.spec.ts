import { careScopeSchema } from './care-package';
import { applyCalibration, calibrationErrors, fitCalibration, qualityCalibrationSchema, type CalibrationSample } from './quality-calibration';

describe('the PSNR calibration', () => {
  // a made-up truth in the calibration's own form, with a network figure that runs the wrong way (as the P11 model's does)
  const truth = (p: number, i: number, k: number) => 5 - 0.5 * p + 1.2 * i + 4 * k - 0.01 * i * i + 0.3 * i * k;
  const sample = (n: number): CalibrationSample => {
    const i = 12 + ((n * 7) % 25);
    const k = 0.5 + ((n * 3) % 11) / 5;
    const p = 30 - 0.2 * i + ((n * 5) % 3);
    return { predictedPsnrDb: p, inputPsnrDb: i, peakPhotons: 10 ** k, measuredPsnrDb: truth(p, i, k) };
  };
  const fitting = Array.from({ length: 40 }, (_, n) => sample(n));
  const heldOut = Array.from({ length: 12 }, (_, n) => sample(n + 100));

  it('recovers the map from predicted to measured PSNR on pairs it was not fitted on', () => {
    const calibration = fitCalibration(fitting);
    const errors = calibrationErrors(calibration, heldOut);
    expect(errors.meanAbsErrorAfterDb).toBeLessThan(0.05);
    expect(errors.meanAbsErrorBeforeDb).toBeGreaterThan(3);
  });

  it('never extrapolates beyond the PSNR it was fitted on', () => {
    const calibration = fitCalibration(fitting);
    const far = applyCalibration(calibration, { predictedPsnrDb: 10, inputPsnrDb: 90, peakPhotons: 1e6 });
    expect(far).toBeLessThanOrEqual(calibration.measuredRange[1]);
    expect(applyCalibration(calibration, { predictedPsnrDb: 60, inputPsnrDb: -20, peakPhotons: null })).toBeGreaterThanOrEqual(calibration.measuredRange[0]);
  });

  it('is stored in the package description and read back', () => {
    const calibration = fitCalibration(fitting, 'test pairs');
    expect(qualityCalibrationSchema.parse(JSON.parse(JSON.stringify(calibration)))).toEqual(calibration);
    expect(() => qualityCalibrationSchema.parse({ ...calibration, coefficients: [1, 2] })).toThrow();
    const scope = careScopeSchema.parse({
      kind: 'care',
      architecture: { kernelSize: 3, depth: 2, firstFilters: 4, convsPerLevel: 2, residual: true, probabilistic: true },
      normalization: { lowPercent: 1, highPercent: 99.8 },
      training: { mode: 'supervised' },
      qualityCalibration: calibration,
      trainingFingerprint: { measured: { peakPhotons: [10, 90], normalizedNoise: [0.02, 0.2] } },
    });
    expect(scope.qualityCalibration?.coefficients).toHaveLength(8);
    expect(() => careScopeSchema.parse({ ...scope, trainingFingerprint: { measured: { peakPhotons: [90, 10], normalizedNoise: [0.02, 0.2] } } })).toThrow();
  });

  it('refuses to fit on too few pairs', () => {
    expect(() => fitCalibration(fitting.slice(0, 5))).toThrow(/at least 16 held-out pairs/);
  });
});
