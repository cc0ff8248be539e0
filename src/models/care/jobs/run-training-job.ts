import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeModelFolder } from '../../store/model-folder';
import { CSBDEEP_DEFAULT_CONFIG, SELF_SUPERVISED_CARE_CONFIG, SHIPPED_CARE_CONFIG, type CareConfig } from '../care-config';
import { loadCareModel, type CareModel } from '../care-model';
import { careDescription, storeQualityCalibration } from '../care-package';
import { compareDenoisers, type GroundTruthPair } from '../evaluation/compare-denoisers';
import { denoiserVerdict } from '../evaluation/denoiser-verdict';
import { fingerprintOf, measureInput } from '../input-check';
import { percentileRange } from '../normalization';
import { trainCareSupervised, trainNoise2Void, type CareCheckpoint, type CareTrainingProgress, type CareTrainingResult } from '../training/train-care';
import { calibrateOnHeldOutTiles, NO_TARGETS_CALIBRATION, type Restorer } from './held-out-calibration';
import { checkPatchFits, loadNoisyFrames, loadPairs, TrainingDataRefusedError, type LoadedPairs, type NamedImage } from './training-data';
import type { TrainingEvaluation, TrainingJobSpec, TrainingOutcome } from './training-job';

export function architectureOf(spec: Pick<TrainingJobSpec, 'network' | 'mode'>): CareConfig {
  const base = spec.network === 'csbdeep' ? CSBDEEP_DEFAULT_CONFIG : spec.mode === 'n2v' ? SELF_SUPERVISED_CARE_CONFIG : SHIPPED_CARE_CONFIG;
  return { ...base, ...(spec.network === 'tiny' ? { firstFilters: 8 } : {}), residual: spec.mode === 'n2v' ? false : base.residual, probabilistic: true };
}

export interface JobData {
  readonly training: ReadonlyArray<{ readonly source: NamedImage; readonly target: NamedImage }>;
  readonly noisy: readonly NamedImage[];
  readonly heldOut: LoadedPairs['pairs'];
}

/**
 * The job's data, checked (names, counts, sizes, NaN and constant frames) and split: the last `heldOutPairs` pairs
 * by name are kept out of training for evaluation, at least one pair always stays for training.
 */
export async function loadJobData(spec: Pick<TrainingJobSpec, 'mode' | 'data' | 'heldOutPairs' | 'patchPx'>, field: string): Promise<JobData> {
  if (spec.data.kind === 'frames') {
    const { frames } = await loadNoisyFrames(spec.data.dir, field);
    checkPatchFits(frames, spec.patchPx);
    return { training: [], noisy: frames, heldOut: [] };
  }
  const { pairs } = await loadPairs(spec.data.dir, field);
  checkPatchFits(pairs.map((p) => p.source), spec.patchPx);
  if (spec.mode === 'n2v') return { training: [], noisy: pairs.map((p) => p.source), heldOut: pairs.slice(-Math.min(spec.heldOutPairs, pairs.length)) };
  if (pairs.length <= spec.heldOutPairs) {
    throw new TrainingDataRefusedError(`${field}: ${pairs.length} pair${pairs.length === 1 ? '' : 's'} cannot leave ${spec.heldOutPairs} held out for evaluation and any to train on; acquire more or lower heldOutPairs`);
  }
  const cut = pairs.length - spec.heldOutPairs;
  return { training: pairs.slice(0, cut), noisy: [], heldOut: pairs.slice(cut) };
}

/** The model against the best classical filter on the held-out pairs (their high frames as the ground truth). */
async function evaluate(spec: TrainingJobSpec, heldOut: JobData['heldOut'], model: Restorer): Promise<Omit<TrainingEvaluation, 'qualityCalibration'>> {
  const pairs: GroundTruthPair[] = heldOut.map((p) => ({ raw: p.source.pixels, groundTruth: p.target.pixels, widthPx: p.source.widthPx, heightPx: p.source.heightPx }));
  const method = spec.mode === 'n2v' ? 'noise2void' : 'care';
  const table = await compareDenoisers(pairs, { [method]: async (p) => (await model.restore(p.raw, p.widthPx, p.heightPx)).restored });
  const verdict = denoiserVerdict(table, spec.minGainDb, method);
  return {
    heldOut: heldOut.map((p) => p.name),
    table,
    bestClassical: { method: verdict.bestClassical.method, setting: verdict.bestClassical.setting, psnrDb: verdict.bestClassical.psnrDb },
    modelPsnrDb: verdict.model.psnrDb,
    gainDb: verdict.marginDb,
    verdict: verdict.beatsClassical ? 'beats-classical' : 'below-classical',
    note: verdict.label,
  };
}

/**
 * The written package evaluated on the held-out pairs, and its PSNR calibration fitted on their tiles and stored in
 * it (none without targets, or with too few tiles: the report says why).
 */
async function evaluateAndCalibrate(spec: TrainingJobSpec, heldOut: JobData['heldOut'], dataName: string): Promise<TrainingEvaluation> {
  if (heldOut.length === 0) {
    return {
      heldOut: [],
      table: [],
      bestClassical: null,
      modelPsnrDb: null,
      gainDb: null,
      verdict: 'not-evaluated',
      note: 'no held-out pairs with targets (noisy frames only): not evaluated, not deployed automatically',
      qualityCalibration: NO_TARGETS_CALIBRATION,
    };
  }
  const model = await loadCareModel(spec.modelDir, { runtime: 'tfjs' });
  try {
    // The evaluation and the calibration read the same restorations: each held-out frame is restored once.
    const restorations = new Map<ArrayLike<number>, ReturnType<CareModel['restore']>>();
    const restoreOnce: Restorer = {
      restore: (pixels, widthPx, heightPx) => {
        if (!restorations.has(pixels)) restorations.set(pixels, model.restore(pixels, widthPx, heightPx));
        return restorations.get(pixels)!;
      },
    };
    const evaluation = await evaluate(spec, heldOut, restoreOnce);
    const { calibration, report } = await calibrateOnHeldOutTiles(restoreOnce, heldOut, dataName);
    if (calibration) storeQualityCalibration(spec.modelDir, calibration);
    return { ...evaluation, qualityCalibration: report };
  } finally {
    await model.dispose();
  }
}

export interface RunHooks {
  readonly signal: AbortSignal;
  readonly beforeStep?: () => Promise<void>;
  readonly resumeFrom: CareCheckpoint | null;
  readonly onProgress: (progress: CareTrainingProgress) => void;
  readonly onCheckpoint: (checkpoint: CareCheckpoint) => Promise<void>;
}

/**
 * Trains the job's model (going on from its checkpoint), writes its package, evaluates it, stores the table beside it
 * (evaluation.json) and its PSNR calibration in it.
 */
export async function runTrainingJob(spec: TrainingJobSpec, hooks: RunHooks): Promise<TrainingOutcome> {
  const data = await loadJobData(spec, spec.data.calibrationId ? 'calibrationId' : spec.data.kind === 'frames' ? 'noisyDir' : 'pairsDir');
  const architecture = architectureOf(spec);
  const options = {
    architecture,
    seed: spec.seed,
    patchPx: spec.patchPx,
    patchesPerImage: spec.patchesPerImage,
    validationFraction: 0.1,
    batchSize: spec.batch,
    epochs: spec.epochs,
    stepsPerEpoch: spec.stepsPerEpoch,
    learningRate: spec.learningRate,
    signal: hooks.signal,
    beforeStep: hooks.beforeStep,
    onProgress: hooks.onProgress,
    onCheckpoint: hooks.onCheckpoint,
    ...(hooks.resumeFrom ? { resumeFrom: hooks.resumeFrom } : {}),
  };
  const result: CareTrainingResult =
    spec.mode === 'n2v' ? await trainNoise2Void(data.noisy, options) : await trainCareSupervised(data.training.map((p) => ({ source: p.source, target: p.target })), options);
  const history = result.history;
  const dataName = spec.data.calibrationId ? `calibration ${spec.data.calibrationId}` : basename(spec.data.dir);
  const inputs = spec.mode === 'n2v' ? data.noisy : data.training.map((p) => p.source);
  // What the model saw, so that at inference a frame from another light level or camera is flagged.
  const trainingFingerprint = fingerprintOf(
    inputs.map((image) => measureInput(image.pixels, image.widthPx, image.heightPx, percentileRange(image.pixels))),
    { source: spec.data.calibrationId ? `calibration ${spec.data.calibrationId}` : spec.data.dir },
  );
  const description = careDescription({
    trainingFingerprint,
    name: spec.name,
    description:
      spec.mode === 'n2v'
        ? `Noise2Void denoiser trained in the service (job ${spec.id}) on noisy frames of ${basename(spec.data.dir)}.`
        : `CARE denoiser trained in the service (job ${spec.id}) on low/high-light pairs of ${basename(spec.data.dir)}.`,
    architecture,
    training: {
      mode: spec.mode === 'n2v' ? 'self-supervised' : 'supervised',
      job: spec.id,
      backend: result.backend.backend,
      loss: result.loss,
      epochs: spec.epochs,
      stepsPerEpoch: spec.stepsPerEpoch,
      batch: spec.batch,
      patchPx: spec.patchPx,
      seed: spec.seed,
      patches: result.patches,
      bestEpoch: history.bestEpoch,
      validationLoss: { initial: history.initialValidationLoss, best: history.bestValidationLoss },
      seconds: Math.round(history.seconds),
    },
    trainingData: {
      name: dataName,
      description: `${data.training.length || data.noisy.length} ${spec.mode === 'n2v' ? 'noisy frames' : 'pairs'}; held out: ${data.heldOut.map((p) => p.name).join(', ') || 'none'}`,
      source: spec.data.dir,
    },
  });
  await mkdir(spec.modelDir, { recursive: true });
  await writeModelFolder(spec.modelDir, result.model, description);
  result.model.dispose();
  const evaluation = await evaluateAndCalibrate(spec, data.heldOut, dataName);
  await writeFile(join(spec.modelDir, 'evaluation.json'), `${JSON.stringify(evaluation, null, 2)}\n`);
  return {
    modelId: basename(spec.modelDir),
    modelDir: spec.modelDir,
    bestEpoch: history.bestEpoch,
    initialValidationLoss: history.initialValidationLoss,
    bestValidationLoss: history.bestValidationLoss,
    trainingSeconds: history.seconds,
    evaluation,
  };
}
