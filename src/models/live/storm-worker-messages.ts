import type { RuntimeChoice } from '../runtime/open-runtime';
import type { CameraGrid } from '../smlm/localisation';
import type { BatchContribution } from '../smlm/reconstruct/frame-processor';

export interface StormWorkerInit {
  readonly method: 'deep-storm' | 'classical';
  readonly model: string;
  readonly directories: readonly string[];
  readonly runtime: RuntimeChoice;
}

export interface StormWorkerReady {
  readonly method: 'deep-storm' | 'classical';
  readonly upsampling: number;
  readonly preferredBatch: number;
  readonly runtime: string;
}

export interface StormBatchRequest {
  readonly frames: ArrayLike<number>[];
  readonly firstFrame: number;
  readonly grid: CameraGrid;
}

export type StormBatchReply = BatchContribution;
