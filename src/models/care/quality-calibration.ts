import { z } from 'zod';

/**
 * Calibration of the predicted PSNR that travels with each restored frame (issue 18, item 7). The Laplace scale of
 * a CARE network is trained on its training patches and says little about a frame at another noise level (on the
 * shipped model it even falls as the true PSNR rises), so the figure is mapped onto measured PSNR, fitted on
 * held-out pairs, by least squares on the network's predicted PSNR p, the input's own PSNR i (−20·log10 of its
 * relative noise) and k = log10 of its estimated peak photons (both from the input check), with an indicator n of
 * "no photon estimate" and the second-order terms of i and k: measured ≈ c·[1, p, i, k, n, i², k², i·k]. On the
 * P11 shipped model's held-out pairs (3–500 photons, EMCCDs among them) p alone left 3.4 dB of mean error, p, i
 * and k linearly 1.9 dB, these features 1.2 dB. Stored in the package, applied at inference.
 *
 * A model trained in the service has only its calibration's few held-out pairs to be fitted on, too few for eight
 * coefficients, so it may carry a reduced form: the same eight coefficients, those of the features it leaves out
 * fixed at 0 (and, for 'offset', p's at 1), so that applying it is the same code for every form.
 */

const FEATURE_COUNT = 8;

/**
 * offset: measured ≈ p + c (one coefficient); affine: c0 + c1·p; affine-input: c0 + c1·p + c2·i; first-order: on
 * [1, p, i, k, n]; full: all eight. Absent in a package: full (the shipped default's).
 */
export const CALIBRATION_FORMS = ['offset', 'affine', 'affine-input', 'first-order', 'full'] as const;
export type CalibrationForm = (typeof CALIBRATION_FORMS)[number];

/** The feature columns each form fits; 'offset' fits the intercept of measured − p. */
const FORM_COLUMNS: Readonly<Record<CalibrationForm, readonly number[]>> = {
  offset: [0],
  affine: [0, 1],
  'affine-input': [0, 1, 2],
  'first-order': [0, 1, 2, 3, 4],
  full: [0, 1, 2, 3, 4, 5, 6, 7],
};

/** Fewest samples a form is fitted on: two per coefficient. */
export const minSamplesFor = (form: CalibrationForm) => 2 * FORM_COLUMNS[form].length;

export const qualityCalibrationSchema = z
  .object({
    method: z.literal('linear'),
    /** Which features were fitted (see above); absent: full. */
    form: z.enum(CALIBRATION_FORMS).optional(),
    /** Of the features [1, p, i, k, n, i², k², i·k] (see above); 0 for those the form leaves out. */
    coefficients: z.array(z.number()).length(FEATURE_COUNT),
    /**
     * How it did on held-out pairs it was not fitted on: mean |predicted − measured| before and after, dB; for a
     * calibration fitted on tiles, by cross-validation (crossValidation says how) over `tiles` tiles.
     */
    heldOut: z
      .object({
        pairs: z.number().int().positive(),
        meanAbsErrorBeforeDb: z.number(),
        meanAbsErrorAfterDb: z.number(),
        data: z.string().optional(),
        tiles: z.number().int().positive().optional(),
        crossValidation: z.string().optional(),
        /** The held-out pairs' whole frames, each scored by the fit that left its pair out. */
        wholeFrames: z.object({ frames: z.number().int().positive(), meanAbsErrorBeforeDb: z.number(), meanAbsErrorAfterDb: z.number() }).optional(),
      })
      .passthrough()
      .optional(),
    /** The fitting pairs' range of each feature (predicted PSNR, input PSNR, log10 peak photons) and of measured PSNR: inputs are clamped into them, so the map never extrapolates. */
    featureRanges: z.array(z.tuple([z.number(), z.number()])).length(3),
    measuredRange: z.tuple([z.number(), z.number()]),
    fittedOn: z.string().optional(),
  })
  .passthrough();

export type QualityCalibration = z.infer<typeof qualityCalibrationSchema>;

export interface CalibrationSample {
  /** The network's own predicted PSNR (from its Laplace scale), dB. */
  readonly predictedPsnrDb: number;
  /** −20·log10 of the input's relative noise (InputStatistics.normalizedNoise), dB. */
  readonly inputPsnrDb: number;
  /** InputStatistics.peakPhotons (null: the noise did not grow with the signal). */
  readonly peakPhotons: number | null;
  /** PSNR against ground truth, as compareDenoisers measures it, dB. */
  readonly measuredPsnrDb: number;
}

export const inputPsnrDb = (normalizedNoise: number) => -20 * Math.log10(Math.max(normalizedNoise, 1e-12));

/** A frame whose noise does not visibly grow with its signal holds few photons' worth of signal: counted as 1. */
const MIN_PEAK_PHOTONS = 1;

/** The first-order figures p, i, k, each clamped into `ranges` when given. */
function base(s: Omit<CalibrationSample, 'measuredPsnrDb'>, ranges?: ReadonlyArray<readonly [number, number]>): number[] {
  const raw = [s.predictedPsnrDb, s.inputPsnrDb, Math.log10(Math.max(MIN_PEAK_PHOTONS, s.peakPhotons ?? MIN_PEAK_PHOTONS))];
  return raw.map((v, i) => (ranges ? Math.min(ranges[i][1], Math.max(ranges[i][0], v)) : v));
}

function features(s: Omit<CalibrationSample, 'measuredPsnrDb'>, ranges?: ReadonlyArray<readonly [number, number]>): number[] {
  const [p, i, k] = base(s, ranges);
  return [1, p, i, k, s.peakPhotons === null ? 1 : 0, i * i, k * k, i * k];
}

export function applyCalibration(calibration: QualityCalibration, sample: Omit<CalibrationSample, 'measuredPsnrDb'>): number {
  const value = features(sample, calibration.featureRanges).reduce((t, x, i) => t + x * calibration.coefficients[i], 0);
  const [low, high] = calibration.measuredRange;
  return Math.min(high, Math.max(low, value));
}

/** Solves a small linear system (Gauss–Jordan with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** Least squares of measured PSNR on the form's features; a small ridge keeps it regular (a feature may be constant). */
export function fitCalibrationForm(samples: readonly CalibrationSample[], form: CalibrationForm, fittedOn?: string): QualityCalibration {
  const columns = FORM_COLUMNS[form];
  if (samples.length < minSamplesFor(form)) throw new Error(`a PSNR calibration of form ${form} needs at least ${minSamplesFor(form)} samples, got ${samples.length}`);
  const n = columns.length;
  const ata = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const atb = new Array<number>(n).fill(0);
  for (const s of samples) {
    const all = features(s);
    const x = columns.map((c) => all[c]);
    const y = form === 'offset' ? s.measuredPsnrDb - s.predictedPsnrDb : s.measuredPsnrDb;
    for (let i = 0; i < n; i++) {
      atb[i] += x[i] * y;
      for (let j = 0; j < n; j++) ata[i][j] += x[i] * x[j];
    }
  }
  for (let i = 1; i < n; i++) ata[i][i] += 1e-6 * samples.length + 1e-9 * ata[i][i];
  const fitted = solve(ata, atb);
  const coefficients = new Array<number>(FEATURE_COUNT).fill(0);
  columns.forEach((c, i) => (coefficients[c] = fitted[i]));
  if (form === 'offset') coefficients[1] = 1;
  const extremes = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
  const all = samples.map((s) => base(s));
  return {
    method: 'linear',
    ...(form === 'full' ? {} : { form }),
    coefficients,
    featureRanges: [0, 1, 2].map((i) => extremes(all.map((f) => f[i]))),
    measuredRange: extremes(samples.map((s) => s.measuredPsnrDb)),
    ...(fittedOn ? { fittedOn } : {}),
  };
}

/** The full eight-feature map (the shipped default's), which wants at least 16 held-out pairs. */
export function fitCalibration(samples: readonly CalibrationSample[], fittedOn?: string): QualityCalibration {
  if (samples.length < minSamplesFor('full')) throw new Error(`a PSNR calibration needs at least ${minSamplesFor('full')} held-out pairs, got ${samples.length}`);
  return fitCalibrationForm(samples, 'full', fittedOn);
}

/** Mean |predicted − measured| of the raw figure and of the calibrated one, dB. */
export function calibrationErrors(calibration: QualityCalibration, samples: readonly CalibrationSample[]) {
  const mean = (f: (s: CalibrationSample) => number) => samples.reduce((t, s) => t + Math.abs(f(s)), 0) / samples.length;
  return {
    meanAbsErrorBeforeDb: mean((s) => s.predictedPsnrDb - s.measuredPsnrDb),
    meanAbsErrorAfterDb: mean((s) => applyCalibration(calibration, s) - s.measuredPsnrDb),
  };
}
