import { z } from 'zod';
import { DEFAULT_FEATURE_SETTINGS, PHOTOTOX_FEATURE_NAMES, PHOTOTOX_V1_FEATURE_NAMES, type FeatureSettings } from './phototox-features';

/**
 * A logistic model over standardised features, with Platt scaling fitted on separate calibration runs so that its
 * probabilities mean what they say. Small and transparent on purpose: each weight reads as "this sign raises risk".
 * Format 1 knows the seven features of PHOTOTOX_V1_FEATURE_NAMES; format 2 any of PHOTOTOX_FEATURE_NAMES
 * (wavelength, region dose, dose rate) with the settings those need.
 */
export const phototoxWeightsSchema = z
  .object({
    format: z.enum(['phototox-logistic/1', 'phototox-logistic/2']),
    featureNames: z.array(z.enum(PHOTOTOX_FEATURE_NAMES)).min(1),
    featureSettings: z.object({
      repairTimeS: z.number().positive(),
      doseRateReferencePercent: z.number().positive(),
      defaultWavelengthNm: z.number().positive().optional(),
      flatFieldSigmaFraction: z.number().positive().optional(),
      rateWindowS: z.number().positive().optional(),
    }),
    mean: z.array(z.number()),
    std: z.array(z.number().positive()),
    weights: z.array(z.number()),
    bias: z.number(),
    calibration: z.object({ slope: z.number(), intercept: z.number() }),
    metrics: z.record(z.string(), z.number()).optional(),
  })
  .strict()
  .refine((m) => m.mean.length === m.featureNames.length && m.std.length === m.featureNames.length && m.weights.length === m.featureNames.length, {
    message: 'mean, std and weights must have one entry per feature',
  })
  .refine((m) => m.format !== 'phototox-logistic/1' || m.featureNames.every((n) => PHOTOTOX_V1_FEATURE_NAMES.includes(n)), {
    message: 'a phototox-logistic/1 model has only the seven format-1 features',
  });

export type PhototoxWeights = z.infer<typeof phototoxWeightsSchema>;

export class PhototoxFeatureError extends Error {
  override readonly name = 'PhototoxFeatureError';
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Calibrated probability of photodamage for one feature vector; NaN features give NaN (the caller decides). */
export function predictProbability(model: PhototoxWeights, features: readonly number[]): number {
  if (features.length !== model.weights.length) {
    throw new PhototoxFeatureError(`phototox model expects ${model.weights.length} features (${model.featureNames.join(', ')}), got ${features.length}`);
  }
  let logit = model.bias;
  for (let i = 0; i < features.length; i++) logit += model.weights[i] * ((features[i] - model.mean[i]) / model.std[i]);
  return sigmoid(model.calibration.slope * logit + model.calibration.intercept);
}

export interface TrainingOptions {
  /** Which features the rows hold, in order; default all of PHOTOTOX_FEATURE_NAMES. */
  readonly featureNames?: readonly (typeof PHOTOTOX_FEATURE_NAMES)[number][];
  readonly epochs?: number;
  readonly learningRate?: number;
  readonly l2?: number;
  readonly featureSettings?: FeatureSettings;
}

/** Full-batch gradient descent on the log loss (deterministic: no sampling), then Platt scaling on `calibration`. */
export function trainPhototoxModel(
  training: { features: readonly (readonly number[])[]; labels: readonly boolean[] },
  calibration: { features: readonly (readonly number[])[]; labels: readonly boolean[] },
  options: TrainingOptions = {},
): PhototoxWeights {
  const featureNames = options.featureNames ?? PHOTOTOX_FEATURE_NAMES;
  const d = featureNames.length;
  const wrong = training.features.find((f) => f.length !== d);
  if (wrong) throw new PhototoxFeatureError(`training rows must hold ${d} features (${featureNames.join(', ')}), one has ${wrong.length}`);
  const rows = training.features.filter((f) => f.every(Number.isFinite));
  const labels = training.labels.filter((_, i) => training.features[i].every(Number.isFinite));
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const r of rows) r.forEach((v, j) => (mean[j] += v / rows.length));
  for (const r of rows) r.forEach((v, j) => (std[j] += (v - mean[j]) ** 2 / rows.length));
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) || 1;
  const x = rows.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
  const weights = new Array<number>(d).fill(0);
  let bias = 0;
  const epochs = options.epochs ?? 3000;
  const rate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Array<number>(d).fill(0);
    let gradBias = 0;
    x.forEach((row, i) => {
      let z = bias;
      for (let j = 0; j < d; j++) z += weights[j] * row[j];
      const error = sigmoid(z) - (labels[i] ? 1 : 0);
      for (let j = 0; j < d; j++) grad[j] += error * row[j];
      gradBias += error;
    });
    for (let j = 0; j < d; j++) weights[j] -= rate * (grad[j] / x.length + l2 * weights[j]);
    bias -= rate * (gradBias / x.length);
  }
  const v1 = featureNames.every((n) => PHOTOTOX_V1_FEATURE_NAMES.includes(n));
  const uncalibrated: PhototoxWeights = {
    format: v1 ? 'phototox-logistic/1' : 'phototox-logistic/2',
    featureNames: [...featureNames],
    featureSettings: options.featureSettings ?? DEFAULT_FEATURE_SETTINGS,
    mean,
    std,
    weights,
    bias,
    calibration: { slope: 1, intercept: 0 },
  };
  return { ...uncalibrated, calibration: plattScaling(uncalibrated, calibration) };
}

/** Fits p = σ(a·logit + b) on held-out data by gradient descent on the log loss. */
function plattScaling(model: PhototoxWeights, data: { features: readonly (readonly number[])[]; labels: readonly boolean[] }): { slope: number; intercept: number } {
  const logits: number[] = [];
  const ys: number[] = [];
  data.features.forEach((f, i) => {
    if (!f.every(Number.isFinite)) return;
    const p = predictProbability(model, f);
    const clipped = Math.min(1 - 1e-9, Math.max(1e-9, p));
    logits.push(Math.log(clipped / (1 - clipped)));
    ys.push(data.labels[i] ? 1 : 0);
  });
  if (logits.length === 0) return { slope: 1, intercept: 0 };
  let a = 1;
  let b = 0;
  for (let step = 0; step < 2000; step++) {
    let ga = 0;
    let gb = 0;
    logits.forEach((z, i) => {
      const error = sigmoid(a * z + b) - ys[i];
      ga += error * z;
      gb += error;
    });
    a -= (0.1 * ga) / logits.length;
    b -= (0.1 * gb) / logits.length;
  }
  return { slope: a, intercept: b };
}
