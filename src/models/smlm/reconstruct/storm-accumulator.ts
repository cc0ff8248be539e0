import type { CameraGrid } from '../localisation';
import { squirrel, type SquirrelResult } from '../quality/squirrel';
import type { BatchContribution } from './frame-processor';

/** A super-resolved image as it stands, with its widefield reference. */
export interface StormSnapshot {
  readonly superResolved: Float32Array;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Super-resolved pixel size, nm. */
  readonly pixelSizeNm: number;
  readonly upsampling: number;
  readonly frames: number;
  readonly localisations: number;
  /** Mean of the frames that went into the image, on the camera grid. */
  readonly widefield: Float32Array;
}

/**
 * Sums per-frame contributions into one super-resolved image and keeps the widefield mean of the same frames,
 * so that the image can be checked against it (SQUIRREL) at any time.
 */
export class StormAccumulator {
  private readonly image: Float32Array;
  private readonly widefieldSum: Float64Array;
  private frameCount = 0;
  private localisationCount = 0;

  constructor(readonly grid: CameraGrid, readonly upsampling: number) {
    this.image = new Float32Array(grid.widthPx * upsampling * grid.heightPx * upsampling);
    this.widefieldSum = new Float64Array(grid.widthPx * grid.heightPx);
  }

  add(frames: ReadonlyArray<ArrayLike<number>>, contribution: BatchContribution): void {
    for (const f of frames) for (let i = 0; i < this.widefieldSum.length; i++) this.widefieldSum[i] += f[i];
    const sr = contribution.superResolved;
    for (let i = 0; i < this.image.length; i++) this.image[i] += sr[i];
    this.frameCount += frames.length;
    this.localisationCount += contribution.localisations.length;
  }

  get frames(): number {
    return this.frameCount;
  }

  snapshot(): StormSnapshot {
    return {
      superResolved: Float32Array.from(this.image),
      widthPx: this.grid.widthPx * this.upsampling,
      heightPx: this.grid.heightPx * this.upsampling,
      pixelSizeNm: this.grid.pixelSizeNm / this.upsampling,
      upsampling: this.upsampling,
      frames: this.frameCount,
      localisations: this.localisationCount,
      widefield: Float32Array.from(this.widefieldSum, (v) => v / Math.max(1, this.frameCount)),
    };
  }

  quality(snapshot: StormSnapshot = this.snapshot()): SquirrelResult {
    return squirrel(snapshot.widefield, this.grid.widthPx, this.grid.heightPx, snapshot.superResolved, this.upsampling);
  }
}
