import type { DroppedFrame } from '../frame';
/** How the acquisition that fed a data set ended, as its writer is told at close. */
export type FinalState = 'complete' | 'failed' | 'cancelled';

export interface DatasetEnding {
  readonly state: FinalState;
  /** Why the acquisition failed or was cancelled (the run's error). */
  readonly reason?: string;
  /** Frames the camera lost: their planes stay blank, and the metadata lists them. */
  readonly droppedFrames?: readonly DroppedFrame[];
  /** What other parts of the service recorded about the run, e.g. agentDecisions: the file of the agent's decisions. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * What a data set's metadata says about itself: still being written, finalized with how its acquisition ended, or
 * finalized by `recoverDataset` after its writer never closed.
 */
export type DatasetState = 'acquiring' | FinalState | 'recovered';

/** What the final metadata says beside the state: why it ended so, and which frames the camera lost. */
export type EndingNotes = Omit<DatasetEnding, 'state'>;

/** At most this many lost frames are listed in a data set's metadata (the count is always exact). */
const DROPPED_LISTED = 1000;

/** The lost frames of one position's file or image, listed for its metadata: count, and the first DROPPED_LISTED. */
export function droppedAt(
  notes: EndingNotes | undefined,
  position: number,
): { count: number; listed: readonly DroppedFrame[] } | undefined {
  const mine = (notes?.droppedFrames ?? []).filter((frame) => (frame.index.p ?? 0) === position);
  return mine.length ? { count: mine.length, listed: mine.slice(0, DROPPED_LISTED) } : undefined;
}

export const COMPLETE: DatasetEnding = { state: 'complete' };

/** A finalized data set (its metadata has the real counts); only `acquiring` ones need recovery. */
export const isFinalized = (state: string | undefined): boolean => state !== undefined && state !== 'acquiring';
