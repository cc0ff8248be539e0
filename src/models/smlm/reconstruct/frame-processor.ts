import { localiseFrame, type ClassicalOptions } from '../classical/localise-frame';
import type { DeepStormEngine } from '../deep-storm/load-deep-storm';
import { localiseDensity } from '../deep-storm/localise-density';
import { predictDensities, sumDensities } from '../deep-storm/predict-frames';
import type { CameraGrid, Localisation } from '../localisation';
import { renderLocalisations } from '../render/render-localisations';

/** What one batch of frames adds to a super-resolved reconstruction. */
export interface BatchContribution {
  /** Summed over the batch, on the ×upsampling grid, in emitters per super-resolved pixel. */
  readonly superResolved: Float32Array;
  readonly localisations: readonly Localisation[];
}

/** A reconstruction method: turns camera frames into super-resolved contributions. */
export interface FrameBatchProcessor {
  readonly method: 'deep-storm' | 'classical';
  readonly upsampling: number;
  /** Frames per batch that keeps the method efficient (Deep-STORM batches its network calls). */
  readonly preferredBatch: number;
  process(frames: ReadonlyArray<ArrayLike<number>>, firstFrame: number, grid: CameraGrid): Promise<BatchContribution>;
}

export class DeepStormProcessor implements FrameBatchProcessor {
  readonly method = 'deep-storm' as const;
  readonly upsampling: number;
  readonly preferredBatch = 4;

  constructor(
    private readonly engine: DeepStormEngine,
    /** Also extract per-frame localisations from the densities (for CSV export and scoring). */
    private readonly withLocalisations = false,
  ) {
    this.upsampling = engine.scope.upsampling;
  }

  async process(frames: ReadonlyArray<ArrayLike<number>>, firstFrame: number, grid: CameraGrid): Promise<BatchContribution> {
    const config = this.engine.scope;
    const options = { upsampling: config.upsampling, normalization: config.normalization };
    if (!this.withLocalisations) return { superResolved: await sumDensities(frames, grid.widthPx, grid.heightPx, this.engine.runtime, options, 1 / config.massPerEmitter), localisations: [] };
    const maps = await predictDensities(frames, grid.widthPx, grid.heightPx, this.engine.runtime, options);
    const width = grid.widthPx * config.upsampling;
    const height = grid.heightPx * config.upsampling;
    const sum = new Float32Array(width * height);
    const scale = 1 / config.massPerEmitter;
    const localisations: Localisation[] = [];
    maps.forEach((map, k) => {
      for (let i = 0; i < sum.length; i++) sum[i] += map[i] * scale;
      if (this.withLocalisations) {
        localisations.push(
          ...localiseDensity(map, width, height, firstFrame + k, {
            srPixelNm: grid.pixelSizeNm / config.upsampling,
            massPerEmitter: config.massPerEmitter,
            threshold: config.localisation.threshold,
            radiusPx: config.localisation.radiusPx,
          }),
        );
      }
    });
    return { superResolved: sum, localisations };
  }
}

export class ClassicalProcessor implements FrameBatchProcessor {
  readonly method = 'classical' as const;
  readonly preferredBatch = 1;

  constructor(
    readonly upsampling: number,
    private readonly options: Omit<ClassicalOptions, 'pixelSizeNm'> = {},
    private readonly renderMode: 'histogram' | 'gaussian' = 'histogram',
  ) {}

  async process(frames: ReadonlyArray<ArrayLike<number>>, firstFrame: number, grid: CameraGrid): Promise<BatchContribution> {
    const localisations = frames.flatMap((f, k) => localiseFrame(f, grid.widthPx, grid.heightPx, firstFrame + k, { ...this.options, pixelSizeNm: grid.pixelSizeNm }));
    return { superResolved: renderLocalisations(localisations, grid, { upsampling: this.upsampling, mode: this.renderMode }), localisations };
  }
}
