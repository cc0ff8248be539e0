/**
 * When a writer makes what it wrote durable. A checkpoint rewrites the data set's metadata to cover every plane so
 * far (OME-XML in place, Zarr shape) and, with `fsync`, flushes data and metadata to the disk.
 *
 * Trade-off: a killed process loses nothing that `write` already resolved, checkpoint or not: the bytes are in the
 * kernel's page cache and the TIFF IFD chain / Zarr chunk files are linked as each plane is written. Checkpoints
 * matter for two other things. (1) Other programs (tifffile, Fiji) see the planes listed in the OME-XML of the last
 * checkpoint; later planes are in the file but only our reader and `recoverDataset` see them until finalize.
 * (2) With `fsync`, a power cut or kernel crash loses at most the frames since the last checkpoint; without it,
 * whatever the kernel had not yet flushed (typically up to ~30 s). Each fsync waits for the disk: at 2048×2048×16 bit
 * and 100 frames/s, checkpointing every frame would cap throughput at the disk's flush latency, so the default
 * flushes once a second or every 32 frames, whichever comes first.
 */
export interface DurabilityOptions {
  /** Checkpoint after this many frames (0: not by count). Default 32. */
  readonly checkpointEveryFrames?: number;
  /** Checkpoint when this long has passed since the last one, checked as frames arrive (0: not by time). Default 1000. */
  readonly checkpointEveryMs?: number;
  /** Flush to disk at each checkpoint and at close. Default true. */
  readonly fsync?: boolean;
}

export interface ResolvedDurability {
  readonly checkpointEveryFrames: number;
  readonly checkpointEveryMs: number;
  readonly fsync: boolean;
}

export function resolveDurability(options: DurabilityOptions | undefined): ResolvedDurability {
  return {
    checkpointEveryFrames: options?.checkpointEveryFrames ?? 32,
    checkpointEveryMs: options?.checkpointEveryMs ?? 1000,
    fsync: options?.fsync ?? true,
  };
}

/** Counts frames and time since the last checkpoint; no timers, so an idle writer holds no handles. */
export class CheckpointClock {
  private framesSince = 0;
  private lastMs = Date.now();

  constructor(private readonly policy: ResolvedDurability) {}

  /** Records a written frame; true when a checkpoint is due. */
  frameWritten(nowMs = Date.now()): boolean {
    this.framesSince++;
    const { checkpointEveryFrames: everyFrames, checkpointEveryMs: everyMs } = this.policy;
    return (everyFrames > 0 && this.framesSince >= everyFrames) || (everyMs > 0 && nowMs - this.lastMs >= everyMs);
  }

  checkpointed(nowMs = Date.now()): void {
    this.framesSince = 0;
    this.lastMs = nowMs;
  }
}
