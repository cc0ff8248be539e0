import type { MethodScore } from '../evaluation/compare-denoisers';
import type { EpochRecord } from '../training/train-loop';
import type { QualityCalibrationReport } from './held-out-calibration';

/** What a training job trains, resolved from its request and the configuration: persisted, so a restart can go on. */
export interface TrainingJobSpec {
  readonly id: string;
  readonly name: string;
  readonly mode: 'care' | 'n2v';
  /** pairs: low/ and high/ under dataDir; frames: every TIFF in dataDir (or its low/ for n2v on pairs). */
  readonly data: { readonly kind: 'pairs' | 'frames'; readonly dir: string; readonly calibrationId?: string };
  readonly network: 'tiny' | 'small' | 'csbdeep';
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly batch: number;
  readonly patchPx: number;
  readonly patchesPerImage: number;
  readonly learningRate: number;
  readonly heldOutPairs: number;
  readonly minGainDb: number;
  readonly seed: number;
  readonly deploy: boolean;
  /** Where the trained model's package is written. */
  readonly modelDir: string;
}

export interface TrainingJobProgress {
  readonly phase: 'restoration' | 'uncertainty';
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly stepsDone: number;
  readonly stepsTotal: number;
  readonly loss: number;
  readonly validationLoss: number;
  readonly learningRate: number;
  readonly elapsedMs: number;
  /** Seconds left at the pace of this run so far. */
  readonly etaS: number | null;
}

/** The held-out evaluation and what it says about deploying. */
export interface TrainingEvaluation {
  readonly heldOut: readonly string[];
  readonly table: readonly MethodScore[];
  readonly bestClassical: { readonly method: string; readonly setting?: string; readonly psnrDb: number } | null;
  readonly modelPsnrDb: number | null;
  readonly gainDb: number | null;
  /** beats-classical: gain ≥ minGainDb; below-classical: labelled, not deployed automatically; not-evaluated: no targets. */
  readonly verdict: 'beats-classical' | 'below-classical' | 'not-evaluated';
  readonly note: string;
  /** The PSNR calibration fitted on the held-out pairs' tiles and stored in the package, or why there is none (absent in jobs finished before it). */
  readonly qualityCalibration?: QualityCalibrationReport;
}

export interface TrainingOutcome {
  readonly modelId: string;
  readonly modelDir: string;
  readonly bestEpoch: number;
  readonly initialValidationLoss: number;
  readonly bestValidationLoss: number;
  readonly trainingSeconds: number;
  readonly evaluation: TrainingEvaluation;
}

export type TrainingJobState = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';

/** job.json under <storage.directory>/care-trainings/<id>/ and the answer of GET /api/care/trainings/:id. */
export interface TrainingJobStatus {
  readonly id: string;
  readonly state: TrainingJobState;
  readonly spec: TrainingJobSpec;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly progress: TrainingJobProgress | null;
  /** Finished epochs of both phases, for the loss plot. */
  readonly history: ReadonlyArray<EpochRecord & { readonly phase: 'restoration' | 'uncertainty' }>;
  /** Each time the job went on from a checkpoint (after a restart or a killed worker): the phase and epoch it resumed after. */
  readonly resumes: ReadonlyArray<{ readonly at: string; readonly phase: string; readonly epoch: number }>;
  /** careTraining.background.duringAcquisition 'pause': since when it waits for an acquisition, and the seconds waited in all. */
  readonly paused?: { readonly since: string | null; readonly reason: string | null; readonly totalS: number };
  readonly outcome?: TrainingOutcome;
  readonly deployed?: { readonly modelId: string; readonly at: string } | { readonly error: string };
  readonly error?: string;
}
