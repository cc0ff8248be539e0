import type { Frame } from '../frame';
import { planeCoordinates, type DatasetLayout, type PlaneCoordinates } from './dataset-layout';
import { COMPLETE, type DatasetEnding } from './dataset-state';
import { CheckpointClock, type ResolvedDurability } from './durability';
import { storageError } from './file-io';
import type { FrameWriter } from './frame-writer';
import { planeRecordFor, type PlaneRecord } from './plane-record';
import { WriterClosedError, type StorageWriteError } from './storage-errors';

/**
 * What the OME-TIFF and OME-Zarr writers share: frames written one at a time in the order `write` is called, a
 * checkpoint when the durability policy says so, the first failure kept (every later frame is refused with it, naming
 * the file and frame that failed), and `close` queued after the last write. Subclasses store planes and finalize.
 */
export abstract class SerialFrameWriter implements FrameWriter {
  private readonly clock: CheckpointClock;
  private failure?: StorageWriteError;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Wall time of the first frame: plane times in the metadata count from it. */
  protected startWallTimeMs?: number;
  framesWritten = 0;
  abstract readonly location: string;
  abstract readonly files: readonly string[];

  constructor(
    readonly path: string,
    protected readonly layout: DatasetLayout,
    protected readonly durability: ResolvedDurability,
    readonly datasetUuid: string,
  ) {
    this.clock = new CheckpointClock(durability);
  }

  write(frame: Frame): Promise<void> {
    return this.enqueue(() => this.writeNow(frame));
  }

  close(ending: DatasetEnding = COMPLETE): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.finalize(this.failure ? failedWith(this.failure, ending) : ending);
    });
  }

  /** Stores one plane; throws what the file system threw. */
  protected abstract writePlane(frame: Frame, coordinates: PlaneCoordinates, record: PlaneRecord): Promise<void>;
  /** The file or folder a plane at these coordinates goes to, for error messages. */
  protected abstract planeTarget(coordinates: PlaneCoordinates): string;
  /** Makes the metadata cover every plane so far and, with fsync, flushes. */
  protected abstract checkpoint(): Promise<void>;
  /** Final metadata with the real counts and how the acquisition ended, files released; called once, after a failure too. */
  protected abstract finalize(ending: DatasetEnding): Promise<void>;

  /** True once a plane write failed: the last bytes on disk may be a torn plane. */
  protected get writeFailed(): boolean {
    return this.failure !== undefined;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async writeNow(frame: Frame): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.closed) throw new WriterClosedError(`frame ${frame.meta.sequence}: the writer of ${this.path} is closed`);
    const coordinates = planeCoordinates(frame, this.layout, this.path);
    this.startWallTimeMs ??= frame.meta.wallTimeMs;
    try {
      await this.writePlane(frame, coordinates, planeRecordFor(coordinates, frame.meta, this.startWallTimeMs));
      this.framesWritten++;
      if (this.clock.frameWritten()) {
        await this.checkpoint();
        this.clock.checkpointed();
      }
    } catch (error) {
      this.failure = storageError(error, 'writing plane to', this.planeTarget(coordinates), frame.meta.sequence);
      throw this.failure;
    }
  }
}

/** A writer that failed records `failed`, with the run's reason when it gives one (it names the same failure). */
const failedWith = (failure: StorageWriteError, ending: DatasetEnding): DatasetEnding => ({
  state: 'failed',
  reason: (ending.state === 'failed' && ending.reason) || failure.message,
});

/**
 * Finalizes every file or image of a data set, always releasing each, and throws the first failure (named by
 * `where`) only after all were tried: a full disk on one position must not leave the others unfinalized.
 */
export async function finalizeEach<T>(
  items: Iterable<T>,
  where: (item: T) => string,
  finalize: (item: T) => Promise<void>,
  release: (item: T) => Promise<void>,
): Promise<void> {
  let firstError: StorageWriteError | undefined;
  for (const item of items) {
    try {
      await finalize(item);
    } catch (error) {
      firstError ??= storageError(error, 'finalizing', where(item));
    } finally {
      await release(item).catch(() => undefined);
    }
  }
  if (firstError) throw firstError;
}
