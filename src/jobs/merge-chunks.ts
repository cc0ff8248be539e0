import { resultKey } from './chunk-plan';
import { decodeChunk, type ChunkImages } from './chunk-file';
import type { ChunkTask, JobResult, JobSpec } from './job-spec';
import type { JobStorage } from './job-storage';
import { ChunkFileError } from './jobs-errors';
import { mergeStorm } from './merge-storm';
import { putRestorationRecords, restorationDescription, restorationOf, writeRestoredPlanes } from './merge-restoration';

export interface MergeInput {
  readonly spec: JobSpec;
  readonly chunks: readonly ChunkTask[];
  /** Chunks that did not complete, with why (index → error). */
  readonly failed: ReadonlyMap<number, string>;
}

async function readChunk(storage: JobStorage, spec: JobSpec, task: ChunkTask, key: string): Promise<ChunkImages> {
  const chunk = decodeChunk(await storage.get(key), key);
  const h = chunk.header;
  if (h.jobId !== spec.id || h.index !== task.index || h.first !== task.first || h.count !== task.count)
    throw new ChunkFileError(
      `${key} holds chunk ${h.index} (planes ${h.first}+${h.count}) of job ${h.jobId}, not chunk ${task.index} of ${spec.id}`,
    );
  return chunk;
}

/**
 * Merges the chunks that completed, in chunk order (so every run of a job adds the same numbers in the same order):
 * Deep-STORM's summed densities into one image, CARE's restored planes into one stack, with NaN planes where a chunk
 * failed. The output is put whole; result.json says what is in it and what is missing.
 */
export async function mergeChunks(
  storage: JobStorage,
  { spec, chunks, failed }: MergeInput,
  chunkKeyOf: (index: number) => string,
): Promise<JobResult> {
  const failures = new Map(failed);
  const loaded = new Map<number, ChunkImages>();
  for (const task of chunks) {
    if (failures.has(task.index)) continue;
    try {
      loaded.set(task.index, await readChunk(storage, spec, task, chunkKeyOf(task.index)));
    } catch (error) {
      failures.set(task.index, `its result cannot be merged: ${(error as Error).message}`);
    }
  }
  const merged = chunks.filter((task) => loaded.has(task.index));
  const planesMerged = merged.reduce((n, task) => n + task.count, 0);
  const failedChunks = chunks
    .filter((task) => failures.has(task.index))
    .map((task) => ({ index: task.index, first: task.first, count: task.count, error: failures.get(task.index)! }));
  const source = spec.dataset.datasetUuid ? { derivedFrom: { path: spec.dataset.key, uuid: spec.dataset.datasetUuid } } : {};
  const missing = failedChunks.length
    ? `; planes missing: ${failedChunks.map((c) => `${c.first}-${c.first + c.count - 1}`).join(', ')}`
    : '';
  const superResolution =
    merged.length > 0 && spec.method.kind === 'storm'
      ? await mergeStorm(storage, {
          spec,
          merged,
          loaded,
          description: `Deep-STORM (${spec.method.model}): ${planesMerged} of ${spec.dataset.planeCount} frames of ${spec.dataset.key}, job ${spec.id}${missing}`,
          ...source,
        })
      : null;
  const restoration = spec.method.kind === 'denoise' && merged.length > 0 ? restorationOf(storage, spec, chunks, loaded) : undefined;
  if (restoration) {
    await writeRestoredPlanes(storage, {
      spec,
      chunks,
      loaded,
      description: restorationDescription(spec, restoration, missing),
      restoration,
      ...source,
    });
    await putRestorationRecords(storage, spec, restoration);
  }
  const result: JobResult = {
    id: spec.id,
    state: merged.length === 0 ? 'failed' : failedChunks.length ? 'partial' : 'completed',
    output: merged.length ? spec.output : null,
    chunks: chunks.length,
    chunksMerged: merged.length,
    planesMerged,
    failedChunks,
    ...(restoration ? { restoration } : {}),
    ...(superResolution ? { superResolution } : {}),
  };
  await storage.put(resultKey(spec.id), Buffer.from(`${JSON.stringify(result, null, 2)}\n`));
  return result;
}
