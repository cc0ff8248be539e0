import { hostname } from 'node:os';
import { chunkKey, resultKey } from './chunk-plan';
import { ChunkRunner } from './chunk-runner';
import { specKey, statusKey, type JobBackend } from './job-backend';
import { jobResultSchema, type ChunkTask, type JobResult, type JobSpec } from './job-spec';
import { jobStatusFrame, jobStatusSchema, newChunkStatus, type JobStatus } from './job-status';
import type { JobStorage } from './job-storage';
import { mergeChunks } from './merge-chunks';
import { UnknownJobError } from './jobs-errors';

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

/**
 * The embedded queue, used when no Redis is configured: the submitting process runs the chunks one after the other
 * with the code a worker runs, retries a failing chunk as often as a worker would, and merges in the same order,
 * so the output is the one a fleet of workers gives. Its status lives in the job storage.
 */
export class InProcessJobBackend implements JobBackend {
  readonly kind = 'in-process' as const;
  constructor(
    private readonly storage: JobStorage,
    private readonly attempts: number,
    private readonly workerName = `in-process@${hostname()}:${process.pid}`,
  ) {}

  async submit(spec: JobSpec, chunks: readonly ChunkTask[]): Promise<void> {
    await this.register(spec, chunks);
    await this.run(spec, chunks);
  }

  /** Records the job (its spec, and a status with every chunk waiting), so that it is listed before it runs. */
  async register(spec: JobSpec, chunks: readonly ChunkTask[]): Promise<void> {
    if (await this.storage.exists(specKey(spec.id))) throw new Error(`job ${spec.id} exists already in ${this.storage.location}`);
    await this.storage.put(specKey(spec.id), json(spec));
    const status: JobStatus = { ...jobStatusFrame(spec, this.kind), state: 'running', chunks: chunks.map(newChunkStatus), result: null };
    await this.storage.put(statusKey(spec.id), json(status));
  }

  /** Runs a registered job's chunks one after the other, then merges them; the status is rewritten after each chunk. */
  async run(spec: JobSpec, chunks: readonly ChunkTask[]): Promise<JobResult> {
    const status: JobStatus = { ...jobStatusFrame(spec, this.kind), state: 'running', chunks: chunks.map(newChunkStatus), result: null };
    const failed = new Map<number, string>();
    const runner = new ChunkRunner(this.storage, this.workerName);
    try {
      for (const [i, task] of chunks.entries()) {
        const chunk = status.chunks[i];
        chunk.state = 'active';
        await this.storage.put(statusKey(spec.id), json(status));
        for (let attempt = 1; attempt <= this.attempts; attempt++) {
          chunk.workers.push(this.workerName);
          try {
            await runner.run(spec, task);
            chunk.state = 'completed';
            chunk.error = null;
            break;
          } catch (error) {
            chunk.failedAttempts++;
            chunk.error = (error as Error).message;
            if (attempt === this.attempts) {
              chunk.state = 'failed';
              failed.set(task.index, chunk.error);
            }
          }
        }
        await this.storage.put(statusKey(spec.id), json(status));
      }
    } finally {
      await runner.dispose();
    }
    status.state = 'merging';
    await this.storage.put(statusKey(spec.id), json(status));
    const result = await mergeChunks(this.storage, { spec, chunks, failed }, (index) => chunkKey(spec.id, index));
    status.result = result;
    status.state = result.state;
    await this.storage.put(statusKey(spec.id), json(status));
    return result;
  }

  /** Every job in the storage with a status, oldest id first. */
  async list(): Promise<string[]> {
    const ids = await this.storage.list('jobs');
    const known = await Promise.all(ids.map(async (id) => ((await this.storage.exists(statusKey(id))) ? [id] : [])));
    return known.flat();
  }

  async status(id: string): Promise<JobStatus> {
    if (!(await this.storage.exists(statusKey(id))))
      throw new UnknownJobError(`no job ${id} in ${this.storage.location} (in-process jobs)`);
    return jobStatusSchema.parse(JSON.parse(Buffer.from(await this.storage.get(statusKey(id))).toString('utf8')));
  }

  async waitForResult(id: string): Promise<JobResult> {
    if (!(await this.storage.exists(resultKey(id)))) throw new UnknownJobError(`job ${id} has no result in ${this.storage.location}`);
    return jobResultSchema.parse(JSON.parse(Buffer.from(await this.storage.get(resultKey(id))).toString('utf8')));
  }

  async close(): Promise<void> {}
}
