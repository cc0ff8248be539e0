import type { DroppedFrame } from '../frame';

export type RunState = 'pending' | 'running' | 'paused' | 'finished' | 'cancelled' | 'failed';

export interface RunProgress {
  readonly acquisitionId: string;
  readonly state: RunState;
  /** Events run so far; a hardware-sequenced burst is one event of many frames. */
  readonly eventsDone: number;
  /** Frames the plan takes, when known (hooks may add or skip some): compare with framesAcquired. */
  readonly framesPlanned?: number;
  readonly framesAcquired: number;
  readonly framesWritten: number;
  /** Frames the camera lost (gaps in its frame numbers): left blank in the data set, which lists them. */
  readonly framesDropped: number;
  readonly lastDropped?: DroppedFrame;
  readonly elapsedS: number;
  readonly error?: string;
}

export type LifecycleEvent =
  | { readonly type: 'started'; readonly progress: RunProgress }
  | { readonly type: 'progress'; readonly progress: RunProgress }
  | { readonly type: 'paused'; readonly progress: RunProgress }
  | { readonly type: 'resumed'; readonly progress: RunProgress }
  | { readonly type: 'dropped'; readonly dropped: readonly DroppedFrame[]; readonly progress: RunProgress }
  | { readonly type: 'finished'; readonly progress: RunProgress }
  | { readonly type: 'cancelled'; readonly progress: RunProgress }
  | { readonly type: 'failed'; readonly progress: RunProgress };
