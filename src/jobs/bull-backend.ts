import { FlowProducer, Queue, type RedisOptions } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHUNK_QUEUE, MERGE_QUEUE, chunkJobId } from './bull-queues';
import type { QueueCounts, ServiceJobBackend } from './job-backend';
import { jobResultSchema, mergePayloadSchema, type ChunkTask, type JobResult, type JobSpec } from './job-spec';
import { jobStatusFrame, type ChunkStatus, type JobStatus } from './job-status';
import { UnknownJobError } from './jobs-errors';

const WORKER_LOG = /^attempt \d+ on (.+)$/;
/** At most this many jobs are listed, the newest. */
const LISTED_JOBS = 500;
const JOB_STATES = ['waiting-children', 'waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'] as const;

/** The value, or null once `timeoutMs` has passed: a Redis that is down must not hold a health check. */
async function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((done) => (timer = setTimeout(() => done(null), timeoutMs)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Jobs on BullMQ: one flow per job, its merge the parent of one child per chunk. A chunk that fails for good is
 * ignored by the parent (ignoreDependencyOnFailure), so the merge still runs and reports the job as partial.
 */
export class BullJobBackend implements ServiceJobBackend {
  readonly kind = 'redis' as const;
  private readonly chunks: Queue;
  private readonly merges: Queue;
  private readonly flows: FlowProducer;

  constructor(
    connection: RedisOptions,
    private readonly attempts: number,
    log: (message: string) => void = () => undefined,
  ) {
    this.chunks = new Queue(CHUNK_QUEUE, { connection });
    this.merges = new Queue(MERGE_QUEUE, { connection });
    this.flows = new FlowProducer({ connection });
    // an 'error' without a listener would end the process; a Redis restart gives one per connection: say it once
    let lastError = '';
    const onError = (error: Error) => {
      if (error.message !== lastError) log(`Redis queue: ${error.message} (reconnecting)`);
      lastError = error.message;
    };
    this.chunks.on('error', onError);
    this.merges.on('error', onError);
    this.flows.on('error', onError);
  }

  async submit(spec: JobSpec, chunks: readonly ChunkTask[]): Promise<void> {
    if (await this.merges.getJob(spec.id)) throw new Error(`job ${spec.id} exists already on the queue`);
    await this.flows.add({
      name: `merge ${spec.method.kind}`,
      queueName: MERGE_QUEUE,
      data: { spec, chunks },
      opts: { jobId: spec.id, attempts: this.attempts },
      children: chunks.map((task) => ({
        name: `chunk ${task.index}`,
        queueName: CHUNK_QUEUE,
        data: { spec, task },
        opts: {
          jobId: chunkJobId(spec.id, task.index),
          attempts: this.attempts,
          backoff: { type: 'fixed', delay: 100 },
          ignoreDependencyOnFailure: true,
        },
      })),
    });
  }

  async status(id: string): Promise<JobStatus> {
    const parent = await this.merges.getJob(id);
    if (!parent) throw new UnknownJobError(`no job ${id} on the queue ${MERGE_QUEUE}`);
    const { spec, chunks } = mergePayloadSchema.parse(parent.data);
    const chunkStatuses = await Promise.all(chunks.map((task) => this.chunkStatus(spec.id, task)));
    const parentState = await parent.getState();
    const result = parentState === 'completed' ? jobResultSchema.parse(parent.returnvalue) : null;
    const state: JobStatus['state'] = result
      ? result.state
      : parentState === 'failed'
        ? 'failed'
        : parentState === 'waiting-children'
          ? 'running'
          : 'merging';
    return { ...jobStatusFrame(spec, this.kind), state, chunks: chunkStatuses, result };
  }

  private async chunkStatus(jobId: string, task: ChunkTask): Promise<ChunkStatus> {
    const id = chunkJobId(jobId, task.index);
    const job = await this.chunks.getJob(id);
    if (!job) return { ...task, state: 'unknown', workers: [], failedAttempts: 0, stalls: 0, error: `chunk job ${id} is not on the queue` };
    const state = await job.getState();
    const { logs } = await this.chunks.getJobLogs(id);
    const workers = logs.flatMap((line) => WORKER_LOG.exec(line)?.[1] ?? []);
    // attemptsMade counts finished tries (failures, and the final success): the failures are those before success
    const failedAttempts = state === 'completed' ? Math.max(0, job.attemptsMade - 1) : job.attemptsMade;
    return { ...task, state, workers, failedAttempts, stalls: job.stalledCounter, error: job.failedReason || null };
  }

  /** Polls the merge job alone (a status would read every chunk): cheap enough for jobs of thousands of chunks. */
  async waitForResult(id: string, timeoutMs: number, pollMs = 100): Promise<JobResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parent = await this.merges.getJob(id);
      if (!parent) throw new UnknownJobError(`no job ${id} on the queue ${MERGE_QUEUE}`);
      const state = await parent.getState();
      if (state === 'completed') return jobResultSchema.parse(parent.returnvalue);
      if (state === 'failed') throw new Error(`job ${id}: its merge failed (${parent.failedReason || 'no reason given'})`);
      if (Date.now() > deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms (merge ${state})`);
      await sleep(pollMs);
    }
  }

  async list(): Promise<string[]> {
    const jobs = await this.merges.getJobs([...JOB_STATES], 0, LISTED_JOBS - 1);
    return jobs
      .filter((job) => job?.id)
      .sort((a, b) => a.timestamp - b.timestamp)
      .slice(-LISTED_JOBS)
      .map((job) => job.id!);
  }

  /** The chunk queue's counts; while Redis does not answer within `timeoutMs`, not connected and no counts. */
  async counts(timeoutMs = 1000): Promise<QueueCounts> {
    const client = await within(this.chunks.client, timeoutMs).catch(() => null);
    const counts =
      client?.status === 'ready'
        ? await within(this.chunks.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed'), timeoutMs).catch(() => null)
        : null;
    if (!counts) return { connected: false, waiting: null, active: null, failed: null };
    return {
      connected: true,
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
      active: counts.active ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.chunks.close(), this.merges.close(), this.flows.close()]);
  }
}
