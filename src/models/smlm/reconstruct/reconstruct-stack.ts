import type { CameraGrid, Localisation } from '../localisation';
import { SmlmInputError } from '../localisation';
import type { FrameBatchProcessor } from './frame-processor';
import { StormAccumulator, type StormSnapshot } from './storm-accumulator';

export interface ReconstructOptions {
  readonly batchSize?: number;
  /** Called after each batch with the number of frames done. */
  readonly onProgress?: (framesDone: number) => void;
  /** Receives the localisations of each batch as they are found (e.g. a streaming CSV writer). */
  readonly onLocalisations?: (locs: readonly Localisation[]) => void;
}

/**
 * Runs a reconstruction method over frames as they come (any number, any source), batch by batch, and returns the
 * accumulated super-resolved image. Memory stays bounded by one batch plus the output image.
 */
export async function reconstructStack(
  frames: AsyncIterable<ArrayLike<number>> | Iterable<ArrayLike<number>>,
  grid: CameraGrid,
  processor: FrameBatchProcessor,
  options: ReconstructOptions = {},
): Promise<{ snapshot: StormSnapshot; accumulator: StormAccumulator }> {
  const pixels = grid.widthPx * grid.heightPx;
  if (!(grid.widthPx >= 4 && grid.heightPx >= 4) || !Number.isInteger(grid.widthPx) || !Number.isInteger(grid.heightPx)) {
    throw new SmlmInputError(`frames must be at least 4×4 whole pixels, got ${grid.widthPx}×${grid.heightPx}`);
  }
  if (!(grid.pixelSizeNm > 0)) throw new SmlmInputError(`pixel size must be positive, got ${grid.pixelSizeNm} nm`);
  const accumulator = new StormAccumulator(grid, processor.upsampling);
  const batchSize = options.batchSize ?? processor.preferredBatch;
  let batch: Array<ArrayLike<number>> = [];
  let first = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const contribution = await processor.process(batch, first, grid);
    accumulator.add(batch, contribution);
    options.onLocalisations?.(contribution.localisations);
    first += batch.length;
    batch = [];
    options.onProgress?.(first);
  };
  for await (const frame of frames as AsyncIterable<ArrayLike<number>>) {
    if (frame.length !== pixels) {
      throw new SmlmInputError(`frame ${first + batch.length} holds ${frame.length} pixels; the stack's frames are ${grid.widthPx}×${grid.heightPx} = ${pixels}`);
    }
    batch.push(frame);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (accumulator.frames === 0) throw new SmlmInputError('the stack holds no frames: nothing to reconstruct');
  return { snapshot: accumulator.snapshot(), accumulator };
}
