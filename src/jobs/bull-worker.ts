import { Worker, type Job, type RedisOptions } from 'bullmq';
import { CHUNK_QUEUE, MERGE_QUEUE, chunkIndexOf } from './bull-queues';
import { chunkKey } from './chunk-plan';
import { ChunkRunner } from './chunk-runner';
import { chunkPayloadSchema, chunkOutcomeSchema, mergePayloadSchema, type ChunkOutcome, type JobResult } from './job-spec';
import type { JobStorage } from './job-storage';
import { mergeChunks } from './merge-chunks';

export interface JobWorkerOptions {
  readonly connection: RedisOptions;
  readonly storage: JobStorage;
  /** Recorded on every chunk this worker starts (scope jobs status lists them). */
  readonly name: string;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly log: (message: string) => void;
}

export interface JobWorker {
  /** Resolves once both queues' workers are connected and taking jobs. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * One worker process's share of the queue: a chunk at a time (the model uses the cores itself), and merges when
 * their chunks are done. The payloads are checked with zod before anything runs, as anything from outside is.
 */
export function startJobWorker(options: JobWorkerOptions): JobWorker {
  const runner = new ChunkRunner(options.storage, options.name);
  const common = {
    connection: options.connection,
    name: options.name,
    concurrency: 1,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: options.maxStalledCount,
  };
  const chunks = new Worker<unknown, ChunkOutcome>(
    CHUNK_QUEUE,
    async (job: Job<unknown, ChunkOutcome>) => {
      const { spec, task } = chunkPayloadSchema.parse(job.data);
      await job.log(`attempt ${job.attemptsMade + job.stalledCounter + 1} on ${options.name}`);
      options.log(`${CHUNK_QUEUE}: job ${job.id} started (try ${job.attemptsMade + 1}, ${job.stalledCounter} stall(s) before)`);
      return runner.run(spec, task);
    },
    common,
  );
  const merges = new Worker<unknown, JobResult>(
    MERGE_QUEUE,
    async (job: Job<unknown, JobResult>) => {
      const payload = mergePayloadSchema.parse(job.data);
      const done = await job.getChildrenValues();
      const ignored = await job.getIgnoredChildrenFailures();
      const completed = new Set(Object.values(done).map((value) => chunkOutcomeSchema.parse(value).index));
      const failed = new Map(Object.entries(ignored).map(([key, reason]) => [chunkIndexOf(key), reason] as const));
      for (const task of payload.chunks)
        if (!completed.has(task.index) && !failed.has(task.index)) failed.set(task.index, 'the chunk job finished without a result');
      const result = await mergeChunks(options.storage, { spec: payload.spec, chunks: payload.chunks, failed }, (index) =>
        chunkKey(payload.spec.id, index),
      );
      options.log(`merged job ${payload.spec.id}: ${result.state}, ${result.chunksMerged}/${result.chunks} chunks`);
      return result;
    },
    common,
  );
  let lastError = '';
  for (const [queue, worker] of [
    [CHUNK_QUEUE, chunks],
    [MERGE_QUEUE, merges],
  ] as const) {
    worker.on('failed', (job, error) =>
      options.log(`${queue}: job ${job?.id ?? '?'} failed on try ${job?.attemptsMade ?? '?'}: ${error.message}`),
    );
    // a Redis restart makes every connection complain at once: say it once per kind of trouble
    worker.on('error', (error) => {
      if (error.message !== lastError) options.log(`${queue}: ${error.message} (reconnecting)`);
      lastError = error.message;
    });
    worker.on('completed', (job) => {
      lastError = '';
      options.log(`${queue}: job ${job.id} done`);
    });
  }
  return {
    ready: Promise.all([chunks.waitUntilReady(), merges.waitUntilReady()]).then(() => undefined),
    close: async () => {
      await Promise.all([chunks.close(), merges.close()]);
      await runner.dispose();
    },
  };
}
