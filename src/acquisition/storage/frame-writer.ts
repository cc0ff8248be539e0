import type { Frame } from '../frame';
import type { DatasetEnding } from './dataset-state';
import type { DurabilityOptions } from './durability';

/**
 * A consumer of raw frames that persists them (a handler in pymmcore-plus's sense): it knows the data set's
 * layout, never the hardware. Frames are written one at a time in the order `write` is called.
 */
export interface FrameWriter {
  /** Resolves once the frame is part of the data set on disk (readable after a crash of this process). */
  write(frame: Frame): Promise<void>;
  /**
   * Finalizes the data set (real counts in the metadata, and how the acquisition ended: complete by default) and
   * releases the files; safe to call after a failure. A writer that failed itself records `failed` whatever it is told.
   */
  close(ending?: DatasetEnding): Promise<void>;
  readonly framesWritten: number;
  /** The data set's path as given at open (for several positions, the name their files are derived from). */
  readonly path: string;
  /** What holds the whole data set on disk: its file, its Zarr store, or the folder of its per-position files. */
  readonly location: string;
  /** The files (or Zarr store) of the data set that exist so far. */
  readonly files: readonly string[];
  /** The data set's UUID (`urn:uuid:…`), to link processed data sets to it. */
  readonly datasetUuid: string;
}

export interface WriterOptions extends DurabilityOptions {
  /** The data set's UUID; a new one by default. */
  readonly datasetUuid?: string;
}

/** The frame's pixels as bytes, without copying (TIFF and Zarr here are little-endian, like the host). */
export const pixelBytes = (frame: Frame): Uint8Array =>
  new Uint8Array(frame.pixels.buffer, frame.pixels.byteOffset, frame.pixels.byteLength);
