/**
 * The phototoxicity predictor's held-out evaluation, as stored in its package (metrics.json): ROC AUC, expected
 * calibration error (10 bins), Brier score and the reliability curve, pooled, per wavelength and per run.
 */
import {
  brierScore,
  expectedCalibrationError,
  featureColumns,
  pickFeatures,
  predictProbability,
  reliabilityCurve,
  rocAuc,
  type PhototoxWeights,
  type ReliabilityBin,
} from '../src/models/phototox';
import type { PhototoxSamples } from './phototox-dataset';

export interface Scores {
  readonly samples: number;
  readonly damaged: number;
  readonly rocAuc: number | null;
  readonly expectedCalibrationError: number;
  readonly brierScore: number;
}

export interface Evaluation extends Scores {
  readonly reliability: readonly ReliabilityBin[];
  readonly byWavelengthNm: Readonly<Record<string, Scores>>;
  readonly byRun: ReadonlyArray<Scores & { readonly seed: number }>;
}

/** The model's probabilities for samples holding all of PHOTOTOX_FEATURE_NAMES (it reads its own columns). */
export function probabilitiesOf(model: PhototoxWeights, samples: Pick<PhototoxSamples, 'features'>): number[] {
  const columns = featureColumns(model.featureNames);
  return samples.features.map((f) => predictProbability(model, pickFeatures(f, columns)));
}

export function scores(probabilities: readonly number[], labels: readonly boolean[]): Scores {
  const auc = rocAuc(probabilities, labels);
  return {
    samples: labels.length,
    damaged: labels.filter(Boolean).length,
    // one class only: no separation to measure (JSON has no NaN)
    rocAuc: Number.isFinite(auc) ? auc : null,
    expectedCalibrationError: expectedCalibrationError(probabilities, labels),
    brierScore: brierScore(probabilities, labels),
  };
}

function grouped(keys: readonly number[], probabilities: readonly number[], labels: readonly boolean[]): Map<number, Scores> {
  const byKey = new Map<number, { p: number[]; y: boolean[] }>();
  keys.forEach((key, i) => {
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { p: [], y: [] }));
    group.p.push(probabilities[i]);
    group.y.push(labels[i]);
  });
  return new Map([...byKey].sort(([a], [b]) => a - b).map(([key, g]) => [key, scores(g.p, g.y)]));
}

export function evaluate(model: PhototoxWeights, samples: PhototoxSamples): Evaluation {
  const probabilities = probabilitiesOf(model, samples);
  return {
    ...scores(probabilities, samples.labels),
    reliability: reliabilityCurve(probabilities, samples.labels),
    byWavelengthNm: Object.fromEntries(grouped(samples.wavelengthsNm, probabilities, samples.labels)),
    byRun: [...grouped(samples.runs, probabilities, samples.labels)].map(([seed, s]) => ({ seed, ...s })),
  };
}
