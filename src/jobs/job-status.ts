import { z } from 'zod';
import { jobResultSchema, type ChunkTask, type JobSpec } from './job-spec';

export const chunkStatusSchema = z
  .object({
    index: z.number().int(),
    first: z.number().int(),
    count: z.number().int(),
    /** BullMQ's state names (waiting, active, completed, failed, delayed, …), or unknown when the chunk job is gone. */
    state: z.string(),
    /** Every worker that started the chunk, in order (a worker killed mid-chunk stays listed). */
    workers: z.array(z.string()),
    /** Tries that ended in an error. */
    failedAttempts: z.number().int().nonnegative(),
    /** Times the chunk's worker died or stopped renewing its lock, and the chunk was handed on. */
    stalls: z.number().int().nonnegative(),
    error: z.string().nullable(),
  })
  .strict();

export const jobStatusSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['storm', 'denoise']),
    backend: z.enum(['redis', 'in-process']),
    state: z.enum(['running', 'merging', 'completed', 'partial', 'failed']),
    input: z.string(),
    output: z.string(),
    chunks: z.array(chunkStatusSchema),
    result: jobResultSchema.nullable(),
  })
  .strict();

export type ChunkStatus = z.infer<typeof chunkStatusSchema>;
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const newChunkStatus = (task: ChunkTask): ChunkStatus => ({
  ...task,
  state: 'waiting',
  workers: [],
  failedAttempts: 0,
  stalls: 0,
  error: null,
});

export function jobStatusFrame(spec: JobSpec, backend: JobStatus['backend']): Omit<JobStatus, 'state' | 'chunks' | 'result'> {
  return { id: spec.id, kind: spec.method.kind, backend, input: spec.dataset.key, output: spec.output };
}

/** `scope jobs status` as text: one line for the job, one per chunk. */
export function formatJobStatus(status: JobStatus): string {
  const done = status.chunks.filter((c) => c.state === 'completed').length;
  const lines = [
    `job ${status.id} (${status.kind}, ${status.backend}): ${status.state}, ${done}/${status.chunks.length} chunks done; ${status.input} → ${status.output}`,
  ];
  for (const c of status.chunks) {
    const retries = c.failedAttempts + c.stalls;
    lines.push(
      `  chunk ${String(c.index).padStart(4)} planes ${c.first}-${c.first + c.count - 1}: ${c.state.padEnd(9)} ` +
        `workers ${c.workers.join(', ') || '-'}; retries ${retries} (${c.failedAttempts} failed, ${c.stalls} stalled)${c.error ? `; error: ${c.error}` : ''}`,
    );
  }
  if (status.result?.failedChunks.length)
    lines.push(`  partial: ${status.result.planesMerged} planes merged, ${status.result.failedChunks.length} chunk(s) failed`);
  return `${lines.join('\n')}\n`;
}
