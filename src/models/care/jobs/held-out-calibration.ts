import type { CareModel } from '../care-model';
import { fitCrossValidatedCalibration, type CrossValidatedCalibration, type FormScore, type GroupedSample } from '../cross-validated-calibration';
import type { CalibrationForm, QualityCalibration } from '../quality-calibration';
import { MIN_TILE_PX, tilePxFor } from './calibration-tiles';
import { pairSamples } from './tile-samples';
import type { LoadedPairs } from './training-data';

/** Fewer tiles than this (with signal) give no calibration: the cross-validation folds would be a handful of samples. */
export const MIN_CALIBRATION_TILES = 8;

/** The PSNR calibration of a model trained in the service, as evaluation.json reports it. */
export interface QualityCalibrationReport {
  /** Whether the package now carries a calibration (the live figure then reads "calibrated"). */
  readonly calibrated: boolean;
  /** What was fitted and how well, or why nothing was. */
  readonly note: string;
  readonly tilePx?: number;
  readonly tiles: number;
  /** Grid tiles left out: no signal in the target, or figures that are not finite. */
  readonly skippedTiles: number;
  readonly form?: CalibrationForm;
  readonly crossValidation?: string;
  /** Mean |figure − measured PSNR| over the tiles, dB: the network's own, and the chosen form's in cross-validation. */
  readonly meanAbsErrorBeforeDb?: number;
  readonly meanAbsErrorAfterDb?: number;
  /** Every form that could be cross-validated, with its error. */
  readonly forms?: readonly FormScore[];
  /** The chosen form on the held-out whole frames, each by the fit that left its pair out (two pairs or more). */
  readonly wholeFrames?: CrossValidatedCalibration['wholeFrames'];
}

/** What the calibration needs of a model: whole-frame restorations. */
export type Restorer = Pick<CareModel, 'restore'>;

export interface HeldOutCalibration {
  readonly calibration: QualityCalibration | null;
  readonly report: QualityCalibrationReport;
}

export const NO_TARGETS_CALIBRATION: QualityCalibrationReport = {
  calibrated: false,
  note: 'no held-out pairs with targets (noisy frames only): no PSNR calibration, the live figure stays uncalibrated',
  tiles: 0,
  skippedTiles: 0,
};

/** Fits the model's PSNR calibration on its held-out pairs, cut into tiles; `dataName` says where the pairs came from. */
export async function calibrateOnHeldOutTiles(model: Restorer, heldOut: LoadedPairs['pairs'], dataName: string): Promise<HeldOutCalibration> {
  if (heldOut.length === 0) return { calibration: null, report: NO_TARGETS_CALIBRATION };
  const tilePx = tilePxFor(Math.min(...heldOut.map((p) => p.source.widthPx)), Math.min(...heldOut.map((p) => p.source.heightPx)));
  const samples: GroupedSample[] = [];
  const wholeFrames: GroupedSample[] = [];
  let skippedTiles = 0;
  for (const pair of tilePx ? heldOut : []) {
    const { frame, tiles, skipped } = await pairSamples(model, pair, tilePx!);
    if (frame) wholeFrames.push(frame);
    samples.push(...tiles);
    skippedTiles += skipped;
  }
  const names = heldOut.map((p) => p.name).join(', ');
  const counted = { ...(tilePx ? { tilePx } : {}), tiles: samples.length, skippedTiles };
  if (samples.length < MIN_CALIBRATION_TILES) {
    const cut = tilePx ? `${samples.length} tiles of ${tilePx}×${tilePx} px with signal` : `no tile (frames under ${MIN_TILE_PX} px)`;
    const note = `held-out pairs ${names} give ${cut}, fewer than the ${MIN_CALIBRATION_TILES} a PSNR calibration needs: none fitted, the live figure stays uncalibrated (hold out more or larger pairs)`;
    return { calibration: null, report: { calibrated: false, note, ...counted } };
  }
  const fittedOn = `${samples.length} tiles of ${tilePx}×${tilePx} px of the whole-frame restorations of held-out pairs ${names} of ${dataName} (${skippedTiles} tiles without signal skipped)`;
  const fit = fitCrossValidatedCalibration(samples, fittedOn, wholeFrames);
  const scores = { crossValidation: fit.crossValidation, meanAbsErrorBeforeDb: fit.meanAbsErrorBeforeDb, forms: fit.forms };
  if (!fit.calibration) {
    return { calibration: null, report: { calibrated: false, note: `${fit.reason}: none stored, the live figure stays uncalibrated`, ...counted, ...scores } };
  }
  const form = fit.calibration.form ?? 'full';
  const after = fit.calibration.heldOut!.meanAbsErrorAfterDb;
  const frames = fit.wholeFrames ? `, whole frames ${fit.wholeFrames.meanAbsErrorBeforeDb} dB → ${fit.wholeFrames.meanAbsErrorAfterDb} dB` : '';
  const note = `calibrated (${form}) on ${fittedOn}; ${fit.crossValidation}: mean |error| over tiles ${fit.meanAbsErrorBeforeDb} dB uncalibrated → ${after} dB calibrated${frames}`;
  const wholeFramesReport = fit.wholeFrames ? { wholeFrames: fit.wholeFrames } : {};
  return { calibration: fit.calibration, report: { calibrated: true, note, ...counted, form, ...scores, meanAbsErrorAfterDb: after, ...wholeFramesReport } };
}
