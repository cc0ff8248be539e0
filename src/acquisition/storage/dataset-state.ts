/** How the acquisition that fed a data set ended, as its writer is told at close. */
export type FinalState = 'complete' | 'failed' | 'cancelled';

export interface DatasetEnding {
  readonly state: FinalState;
  /** Why the acquisition failed or was cancelled (the run's error). */
  readonly reason?: string;
}

/**
 * What a data set's metadata says about itself: still being written, finalized with how its acquisition ended, or
 * finalized by `recoverDataset` after its writer never closed.
 */
export type DatasetState = 'acquiring' | FinalState | 'recovered';

export const COMPLETE: DatasetEnding = { state: 'complete' };

/** A finalized data set (its metadata has the real counts); only `acquiring` ones need recovery. */
export const isFinalized = (state: string | undefined): boolean => state !== undefined && state !== 'acquiring';
