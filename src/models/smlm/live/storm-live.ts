import { bufferCount, Observable, type OperatorFunction } from 'rxjs';
import { BoundedBranch, type BranchStats } from '../../../acquisition/backpressure/bounded-branch';
import type { DerivedFrame, Frame } from '../../../acquisition/frame';
import type { CameraGrid } from '../localisation';
import type { FrameBatchProcessor } from '../reconstruct/frame-processor';
import { StormAccumulator } from '../reconstruct/storm-accumulator';

/** What a live super-resolved image reports about itself. */
export interface StormLiveQuality {
  readonly method: FrameBatchProcessor['method'];
  /** Frames summed into this image, and frames the branch skipped to keep up (acquisition is never slowed). */
  readonly framesUsed: number;
  readonly framesSkipped: number;
  readonly localisations: number;
  /** Time from the newest frame's arrival to this image, ms. */
  readonly lagMs: number;
  /** SQUIRREL against the widefield mean of the used frames; computed every `qualityEveryMs`, so it may lag. */
  readonly rsp: number | null;
  readonly rse: number | null;
  readonly rsfSigmaPx: number | null;
  /** Frames the SQUIRREL figures refer to. */
  readonly qualityFrames: number;
  /** SQUIRREL error map on the camera grid (null until computed). */
  readonly errorMap: Float32Array | null;
  /** Super-resolved pixel size, nm. */
  readonly pixelSizeNm: number;
}

export type StormLiveFrame = DerivedFrame<StormLiveQuality>;

export interface StormLiveOptions {
  readonly processor: FrameBatchProcessor;
  /** Frames per network call (default: the method's preference). */
  readonly batchFrames?: number;
  /** Batches waiting at most; when full the oldest is dropped and counted. */
  readonly queueBatches?: number;
  readonly qualityEveryMs?: number;
  /** Pixel size to assume when frames carry none, nm. */
  readonly fallbackPixelSizeNm?: number;
  readonly onStats?: (stats: BranchStats) => void;
  /** A batch that failed; the branch goes on with the next one. */
  readonly onError?: (err: unknown) => void;
  readonly now?: () => number;
}

function gridOf(frame: Frame, fallbackNm: number): CameraGrid {
  const nm = frame.meta.pixelSizeUm > 0 ? frame.meta.pixelSizeUm * 1000 : fallbackNm;
  return { widthPx: frame.meta.width, heightPx: frame.meta.height, pixelSizeNm: nm };
}

/**
 * Live SMLM reconstruction as a branch of the frame stream: frames are grouped into batches, batches wait in a
 * bounded drop-oldest queue, each processed batch is added to a running super-resolved image, which is emitted
 * as a DerivedFrame linked to the newest source frame. A new acquisition or frame geometry starts a new image.
 */
export function stormLive(options: StormLiveOptions): OperatorFunction<Frame, StormLiveFrame> {
  const batchFrames = options.batchFrames ?? options.processor.preferredBatch;
  const queueBatches = options.queueBatches ?? 2;
  const qualityEveryMs = options.qualityEveryMs ?? 2000;
  const now = options.now ?? Date.now;
  return (source: Observable<Frame>) =>
    new Observable<StormLiveFrame>((subscriber) => {
      let accumulator: StormAccumulator | undefined;
      let key = '';
      // Assigned below; `process` only runs once offers start, after the assignment.
      let branch!: BoundedBranch<Frame[], StormLiveFrame>;
      let skippedAtReset = 0;
      let lastQualityMs = -Infinity;
      let lastQuality: Pick<StormLiveQuality, 'rsp' | 'rse' | 'rsfSigmaPx' | 'qualityFrames' | 'errorMap'> = { rsp: null, rse: null, rsfSigmaPx: null, qualityFrames: 0, errorMap: null };
      let localisations = 0;
      const process = async (batch: Frame[]): Promise<StormLiveFrame> => {
        const newest = batch[batch.length - 1];
        const grid = gridOf(newest, options.fallbackPixelSizeNm ?? 100);
        const batchKey = `${newest.meta.acquisitionId}|${grid.widthPx}x${grid.heightPx}|${grid.pixelSizeNm}`;
        // Frames of another acquisition or geometry in the same batch are left out rather than mixed in.
        const usable = batch.filter((f) => `${f.meta.acquisitionId}|${f.meta.width}x${f.meta.height}|${gridOf(f, grid.pixelSizeNm).pixelSizeNm}` === batchKey);
        if (!accumulator || batchKey !== key) {
          accumulator = new StormAccumulator(grid, options.processor.upsampling);
          key = batchKey;
          skippedAtReset = branch.stats().skipped;
          lastQualityMs = -Infinity;
          lastQuality = { rsp: null, rse: null, rsfSigmaPx: null, qualityFrames: 0, errorMap: null };
          localisations = 0;
        }
        const pixels = usable.map((f) => f.pixels);
        const contribution = await options.processor.process(pixels, usable[0].meta.sequence, grid);
        accumulator.add(pixels, contribution);
        localisations += contribution.localisations.length;
        const snapshot = accumulator.snapshot();
        if (now() - lastQualityMs >= qualityEveryMs) {
          const q = accumulator.quality(snapshot);
          lastQuality = { rsp: q.rsp, rse: q.rse, rsfSigmaPx: q.rsfSigmaPx, qualityFrames: snapshot.frames, errorMap: q.errorMap };
          lastQualityMs = now();
        }
        return {
          kind: `storm-${options.processor.method}`,
          pixels: snapshot.superResolved,
          width: snapshot.widthPx,
          height: snapshot.heightPx,
          source: newest.meta,
          quality: {
            method: options.processor.method,
            framesUsed: snapshot.frames,
            framesSkipped: (branch.stats().skipped - skippedAtReset) * batchFrames,
            localisations,
            lagMs: Math.max(0, now() - newest.meta.wallTimeMs),
            pixelSizeNm: snapshot.pixelSizeNm,
            ...lastQuality,
          },
        };
      };
      branch = new BoundedBranch<Frame[], StormLiveFrame>(
        { kind: 'drop-oldest', capacity: queueBatches },
        process,
        (image) => {
          subscriber.next(image);
          options.onStats?.(branch.stats());
        },
        (err) => {
          options.onError?.(err);
          options.onStats?.(branch.stats());
        },
      );
      const upstream = source.pipe(bufferCount(batchFrames)).subscribe({
        next: (batch) => branch.offer(batch),
        error: (err: unknown) => subscriber.error(err),
        complete: () => void branch.drained().then(() => subscriber.complete()),
      });
      return () => upstream.unsubscribe();
    });
}
