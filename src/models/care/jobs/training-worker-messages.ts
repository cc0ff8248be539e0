import type { ThreadPriority } from '../../runtime/thread-priority';
import type { CareTrainingProgress } from '../training/train-care';
import type { TrainingJobSpec, TrainingJobStatus, TrainingOutcome } from './training-job';

export interface TrainingWorkerInit {
  readonly spec: TrainingJobSpec;
  /** The job's folder: its checkpoints live here. */
  readonly jobDir: string;
  /** TrainingPause's flag: while set, the worker waits between steps. */
  readonly pause: SharedArrayBuffer;
}

export interface TrainingWorkerReady {
  readonly backend: string;
  /** The checkpoint the worker will go on from, if the job's folder holds one. */
  readonly resumeFrom: { readonly phase: 'restoration' | 'uncertainty'; readonly epoch: number } | null;
  /** The worker thread's own scheduling priority, lowered so that the acquisition's threads come first. */
  readonly priority: ThreadPriority;
}

export type TrainingWorkerRequest = { readonly type: 'train' } | { readonly type: 'progress' } | { readonly type: 'cancel' };

export type TrainingWorkerReply =
  | { readonly type: 'trained'; readonly outcome: TrainingOutcome }
  | { readonly type: 'progress'; readonly progress: CareTrainingProgress | null; readonly history: TrainingJobStatus['history'] }
  | { readonly type: 'cancelling' };
