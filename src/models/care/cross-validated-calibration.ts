import {
  applyCalibration,
  CALIBRATION_FORMS,
  fitCalibrationForm,
  minSamplesFor,
  type CalibrationForm,
  type CalibrationSample,
  type QualityCalibration,
} from './quality-calibration';

/**
 * Chooses the calibration form for a few held-out pairs cut into tiles: each form is scored by cross-validation,
 * leaving one pair out at a time when there are several (tiles of one frame share its specimen and light, so they
 * are not independent of each other), else over contiguous blocks of one frame's tiles; the simplest form within
 * SIMPLER_FORM_TOLERANCE_DB of the lowest error is refitted on all samples. The errors reported are those of the folds, never of the fitting samples.
 * Whole held-out frames may be given as checks: never fitted on, each scored by the fold that leaves its pair out,
 * they say how a map fitted on tiles does on the whole frames the live branch measures.
 */

export interface GroupedSample extends CalibrationSample {
  /** The held-out pair the tile was cut from. */
  readonly group: string;
}

export interface FormScore {
  readonly form: CalibrationForm;
  /** Mean |calibrated − measured| over every sample, each predicted by a fit that had not seen it, dB. */
  readonly meanAbsErrorDb: number;
}

export interface ErrorBeforeAfter {
  readonly meanAbsErrorBeforeDb: number;
  readonly meanAbsErrorAfterDb: number;
}

export interface CrossValidatedCalibration {
  /** null: no form came closer than the network's own figure, or none could be fitted. */
  readonly calibration: QualityCalibration | null;
  readonly crossValidation: string;
  /** Mean |network's figure − measured|: no fit involved. */
  readonly meanAbsErrorBeforeDb: number;
  /** The forms every fold had samples enough for, simplest first. */
  readonly forms: readonly FormScore[];
  /** The chosen form on the whole frames given as checks (leave-one-pair-out only). */
  readonly wholeFrames?: ErrorBeforeAfter & { readonly frames: number };
  readonly reason?: string;
}

const BLOCK_FOLDS = 5;
/** The simplest form within this of the lowest error is chosen: smaller differences are the folds' noise. */
export const SIMPLER_FORM_TOLERANCE_DB = 0.05;

interface Fold {
  readonly scored: readonly number[];
  /** The pair it leaves out (leave-one-pair-out only). */
  readonly group?: string;
}

function foldsOf(samples: readonly GroupedSample[]): { folds: Fold[]; method: string } {
  const groups = [...new Set(samples.map((s) => s.group))];
  if (groups.length >= 2) {
    const folds = groups.map((group) => ({ group, scored: samples.flatMap((s, i) => (s.group === group ? [i] : [])) }));
    return { folds, method: `leave-one-pair-out over ${groups.length} pairs` };
  }
  const k = Math.min(BLOCK_FOLDS, samples.length);
  const folds = Array.from({ length: k }, (_, f) => ({ scored: samples.flatMap((_, i) => (Math.floor((i * k) / samples.length) === f ? [i] : [])) }));
  return { folds, method: `${k}-fold over contiguous blocks of one pair's tiles` };
}

/** Summed |calibrated − measured| of the scored samples and of the checks of the pairs left out, or null where a fold has too few to fit. */
function crossValidatedErrors(samples: readonly GroupedSample[], folds: readonly Fold[], form: CalibrationForm, checks: readonly GroupedSample[]) {
  let samplesDb = 0;
  let checksDb = 0;
  for (const fold of folds) {
    const scored = new Set(fold.scored);
    const fitting = samples.filter((_, i) => !scored.has(i));
    if (fitting.length < minSamplesFor(form)) return null;
    const calibration = fitCalibrationForm(fitting, form);
    const error = (s: CalibrationSample) => Math.abs(applyCalibration(calibration, s) - s.measuredPsnrDb);
    for (const i of fold.scored) samplesDb += error(samples[i]);
    for (const check of checks) if (check.group === fold.group) checksDb += error(check);
  }
  return { samples: samplesDb / samples.length, checks: checksDb / checks.length };
}

const rounded = (v: number) => Number(v.toPrecision(4));

const meanRawError = (samples: readonly CalibrationSample[]) => rounded(samples.reduce((t, s) => t + Math.abs(s.predictedPsnrDb - s.measuredPsnrDb), 0) / samples.length);

export function fitCrossValidatedCalibration(samples: readonly GroupedSample[], fittedOn: string, wholeFrames: readonly GroupedSample[] = []): CrossValidatedCalibration {
  const { folds, method } = foldsOf(samples);
  const meanAbsErrorBeforeDb = meanRawError(samples);
  const checks = folds.some((f) => f.group !== undefined) ? wholeFrames.filter((f) => folds.some((fold) => fold.group === f.group)) : [];
  const scores = CALIBRATION_FORMS.flatMap((form) => {
    const errors = crossValidatedErrors(samples, folds, form, checks);
    return errors === null ? [] : [{ form, meanAbsErrorDb: rounded(errors.samples), checksDb: errors.checks }];
  });
  const forms: FormScore[] = scores.map(({ form, meanAbsErrorDb }) => ({ form, meanAbsErrorDb }));
  const none = (reason: string): CrossValidatedCalibration => ({ calibration: null, crossValidation: method, meanAbsErrorBeforeDb, forms, reason });
  if (scores.length === 0) return none(`no calibration form could be cross-validated on ${samples.length} samples`);
  const lowest = Math.min(...scores.map((f) => f.meanAbsErrorDb));
  const best = scores.find((f) => f.meanAbsErrorDb <= lowest + SIMPLER_FORM_TOLERANCE_DB)!;
  if (best.meanAbsErrorDb >= meanAbsErrorBeforeDb) {
    return none(`in cross-validation no calibration came closer than the network's own figure (${best.form}: ${best.meanAbsErrorDb} dB, uncalibrated: ${meanAbsErrorBeforeDb} dB)`);
  }
  const frames = checks.length ? { frames: checks.length, meanAbsErrorBeforeDb: meanRawError(checks), meanAbsErrorAfterDb: rounded(best.checksDb) } : undefined;
  const calibration: QualityCalibration = {
    ...fitCalibrationForm(samples, best.form, fittedOn),
    heldOut: {
      pairs: new Set(samples.map((s) => s.group)).size,
      tiles: samples.length,
      meanAbsErrorBeforeDb,
      meanAbsErrorAfterDb: best.meanAbsErrorDb,
      crossValidation: method,
      ...(frames ? { wholeFrames: frames } : {}),
    },
  };
  return { calibration, crossValidation: method, meanAbsErrorBeforeDb, forms, ...(frames ? { wholeFrames: frames } : {}) };
}
