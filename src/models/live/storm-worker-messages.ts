import type { RuntimeChoice } from '../runtime/open-runtime';
import type { CameraGrid, Localisation } from '../smlm/localisation';

export interface StormWorkerInit {
  readonly method: 'deep-storm' | 'classical';
  readonly model: string;
  readonly directories: readonly string[];
  readonly runtime: RuntimeChoice;
}

export interface StormWorkerRequest {
  readonly id: number;
  readonly frames: ArrayLike<number>[];
  readonly firstFrame: number;
  readonly grid: CameraGrid;
}

export type StormWorkerReply =
  | { readonly type: 'ready'; readonly method: 'deep-storm' | 'classical'; readonly upsampling: number; readonly preferredBatch: number; readonly runtime: string }
  | { readonly type: 'done'; readonly id: number; readonly superResolved: Float32Array; readonly localisations: Localisation[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
