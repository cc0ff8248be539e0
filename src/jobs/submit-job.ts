import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { planChunks } from './chunk-plan';
import { jobSpecSchema, type ChunkTask, type JobSpec } from './job-spec';
import type { JobsContext } from './jobs-context';

export interface JobRequest {
  readonly method: JobSpec['method'];
  /** Data set key under the job storage. */
  readonly dataset: string;
  /** Output key; jobs/<id>/<data set>.<storm|care>.ome.zarr (a derived OME-Zarr) by default; a name ending .ome.tif gives OME-TIFF. */
  readonly output?: string;
  readonly id?: string;
}

const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** Reads the data set's header, cuts it into chunks and hands the job to the backend (which, in-process, runs it). */
export async function submitJob(
  context: Pick<JobsContext, 'settings' | 'storage' | 'backend'>,
  request: JobRequest,
): Promise<{ spec: JobSpec; chunks: ChunkTask[] }> {
  const now = new Date();
  const id = request.id ?? `${request.method.kind}-${stamp(now)}-${randomBytes(3).toString('hex')}`;
  const stack = await context.storage.openStack(request.dataset);
  const { planeCount, widthPx, heightPx } = stack;
  const pixelSizeUm = stack.pixelSizeUm ?? null;
  const datasetUuid = stack.datasetUuid ?? null;
  await stack.close();
  const stem = basename(request.dataset).replace(/(\.ome)?\.tiff?$/i, '');
  const spec = jobSpecSchema.parse({
    id,
    method: request.method,
    dataset: { key: request.dataset, planeCount, widthPx, heightPx, pixelSizeUm, datasetUuid },
    output: request.output ?? `jobs/${id}/${stem}.${request.method.kind === 'storm' ? 'storm' : 'care'}.ome.zarr`,
    submittedAt: now.toISOString(),
  });
  const chunks = planChunks(spec, context.settings);
  await context.backend.submit(spec, chunks);
  return { spec, chunks };
}
