import type { Restoration } from '../care-restorer';

/** Something that restores frames: a CareModel in this thread, or one hosted in a worker thread. */
export interface FrameRestorer {
  /** The model folder's name. */
  readonly modelId: string;
  readonly runtimeName: string;
  restore(pixels: ArrayLike<number>, widthPx: number, heightPx: number): Promise<Restoration>;
  close(): Promise<void>;
}
