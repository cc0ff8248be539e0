import type { ChunkTask, JobSpec } from './job-spec';

export interface ChunkSizes {
  readonly stormFramesPerChunk: number;
  readonly denoisePlanesPerChunk: number;
}

/**
 * The data set cut into consecutive plane ranges: frame ranges for Deep-STORM, planes for CARE. The cut depends on
 * the job alone, never on how many workers there are, so every run of a job sums and writes the same chunks.
 */
export function planChunks(spec: Pick<JobSpec, 'method' | 'dataset'>, sizes: ChunkSizes): ChunkTask[] {
  const size = spec.method.kind === 'storm' ? sizes.stormFramesPerChunk : sizes.denoisePlanesPerChunk;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive whole number of planes, got ${size}`);
  const tasks: ChunkTask[] = [];
  for (let first = 0, index = 0; first < spec.dataset.planeCount; first += size, index++) {
    tasks.push({ index, first, count: Math.min(size, spec.dataset.planeCount - first) });
  }
  return tasks;
}

/** Where a chunk's result lies under the job storage. */
export const chunkKey = (jobId: string, index: number): string => `jobs/${jobId}/chunks/${String(index).padStart(5, '0')}.chunk`;

export const resultKey = (jobId: string): string => `jobs/${jobId}/result.json`;
