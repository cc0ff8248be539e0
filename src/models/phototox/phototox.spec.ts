import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phototoxSamples } from '../../../scripts/phototox-dataset';
import { probabilitiesOf } from '../../../scripts/phototox-evaluation';
import { brierScore, expectedCalibrationError, reliabilityCurve, rocAuc } from './phototox-metrics';
import { predictProbability } from './phototox-model';
import { loadPhototoxPredictor, PHOTOTOX_WEIGHTS_FILE, PhototoxModelFileError } from './phototox-predictor';

/** The stated margin: chance is 0.5; the shipped model must reach this on runs it never saw. */
const MIN_AUC = 0.75;

describe('the phototoxicity predictor', () => {
  it(`separates damaged from healthy cells within each held-out simulated run (ROC AUC ≥ ${MIN_AUC}), with calibrated probabilities`, () => {
    const predictor = loadPhototoxPredictor();
    let scored = 0;
    for (const seed of [201, 202, 203, 204]) {
      const run = phototoxSamples([seed]);
      const damaged = run.labels.filter(Boolean).length;
      // A run (nearly) all healthy or all damaged cannot show separation; it is left out.
      if (damaged < 5 || run.labels.length - damaged < 5) continue;
      scored++;
      const probabilities = probabilitiesOf(predictor.model, run);
      expect(rocAuc(probabilities, run.labels)).toBeGreaterThanOrEqual(MIN_AUC);
    }
    expect(scored).toBeGreaterThanOrEqual(3);
    // Calibration is judged pooled, as the training script reports it (its held-out runs 101–140).
    expect(predictor.model.metrics?.heldOutExpectedCalibrationError).toBeLessThan(0.15);
    expect(predictor.model.metrics?.heldOutRocAuc).toBeGreaterThanOrEqual(MIN_AUC);
  });

  it('computes ROC AUC and calibration error as defined', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true])).toBe(0.5);
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [true, false, false, false])).toBeCloseTo(0, 12);
    expect(expectedCalibrationError([0.95, 0.95], [false, false])).toBeCloseTo(0.95, 12);
    expect(brierScore([1, 0, 0.5, 0.5], [true, false, true, false])).toBeCloseTo(0.125, 12);
    const curve = reliabilityCurve([0.05, 0.15, 0.12, 0.99], [false, true, false, true]);
    expect(curve).toHaveLength(10);
    expect(curve[0]).toEqual({ from: 0, to: 0.1, count: 1, meanPredicted: 0.05, observedFrequency: 0 });
    expect(curve[1]).toMatchObject({ count: 2, observedFrequency: 0.5 });
    expect(curve[1].meanPredicted).toBeCloseTo(0.135, 12);
    expect(curve[5]).toMatchObject({ count: 0, meanPredicted: null, observedFrequency: null });
    expect(curve[9]).toMatchObject({ count: 1, meanPredicted: 0.99, observedFrequency: 1 });
  });

  it('gives NaN, never a number, for features it cannot read, and rejects a broken model file by name', () => {
    const predictor = loadPhototoxPredictor();
    expect(predictProbability(predictor.model, predictor.model.mean.map(() => Number.NaN))).toBeNaN();
    expect(() => predictProbability(predictor.model, [1, 2, 3])).toThrow(/expects \d+ features/);
    const dir = mkdtempSync(join(tmpdir(), 'phototox-'));
    try {
      writeFileSync(join(dir, PHOTOTOX_WEIGHTS_FILE), JSON.stringify({ ...predictor.model, weights: [1] }));
      expect(() => loadPhototoxPredictor(dir)).toThrow(PhototoxModelFileError);
      expect(() => loadPhototoxPredictor(join(dir, 'missing'))).toThrow(/cannot read phototox model/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
