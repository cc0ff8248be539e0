import { hostname } from 'node:os';
import { WorkerHost } from '../models/runtime/worker-host';
import { InProcessJobBackend } from './in-process-backend';
import { specKey, statusKey, type QueueCounts, type ServiceJobBackend } from './job-backend';
import { jobSpecSchema, type ChunkTask, type JobResult, type JobSpec } from './job-spec';
import { jobStatusSchema, type JobStatus } from './job-status';
import type { FileJobStorage } from './job-storage';
import type { JobThreadInit, JobThreadReady, JobThreadReply, JobThreadRequest } from './job-thread-messages';

type JobThread = WorkerHost<JobThreadReady, JobThreadRequest, JobThreadReply>;

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const parse = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

/**
 * The service's queue without Redis: jobs are recorded here (so they are listed at once), run one after the other
 * in one worker thread started on the first job, and merged there, by the same code as the command line's
 * in-process queue. Statuses live in the job storage; the counts come from what this backend queued.
 */
export class ThreadedJobBackend implements ServiceJobBackend {
  readonly kind = 'in-process' as const;
  private readonly records: InProcessJobBackend;
  private readonly workerName = `service-thread@${hostname()}:${process.pid}`;
  private thread: Promise<JobThread> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly finished = new Map<string, Promise<JobResult>>();
  /** Chunk counts of jobs queued and not yet started. */
  private readonly queued = new Map<string, number>();
  private running: string | null = null;
  private failedChunks = 0;
  private closed = false;

  constructor(
    private readonly storage: FileJobStorage,
    private readonly attempts: number,
    private readonly log: (message: string) => void,
  ) {
    this.records = new InProcessJobBackend(storage, attempts, this.workerName);
  }

  async submit(spec: JobSpec, chunks: readonly ChunkTask[]): Promise<void> {
    await this.records.register(spec, chunks);
    this.enqueue(spec, chunks);
  }

  /** Jobs a stopped service left running go on from the start (a chunk computed again gives the same bytes). */
  async resumeUnfinished(): Promise<string[]> {
    const resumed: string[] = [];
    for (const id of await this.records.list()) {
      const status = await this.records.status(id);
      if (status.state !== 'running' && status.state !== 'merging') continue;
      const spec = jobSpecSchema.parse(parse(await this.storage.get(specKey(id))));
      const chunks = status.chunks.map(({ index, first, count }) => ({ index, first, count }));
      this.enqueue(spec, chunks);
      resumed.push(id);
    }
    return resumed;
  }

  status(id: string): Promise<JobStatus> {
    return this.records.status(id);
  }

  list(): Promise<string[]> {
    return this.records.list();
  }

  async waitForResult(id: string, timeoutMs: number): Promise<JobResult> {
    const done = this.finished.get(id);
    if (!done) return this.records.waitForResult(id);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`job ${id} did not finish within ${timeoutMs} ms (in-process)`)), timeoutMs);
    });
    try {
      return await Promise.race([done, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async counts(): Promise<QueueCounts> {
    let waiting = [...this.queued.values()].reduce((n, count) => n + count, 0);
    let active = 0;
    let failed = this.failedChunks;
    if (this.running) {
      const chunks = (await this.records.status(this.running).catch(() => null))?.chunks ?? [];
      waiting += chunks.filter((c) => c.state === 'waiting').length;
      active += chunks.filter((c) => c.state === 'active').length;
      failed += chunks.filter((c) => c.state === 'failed').length;
    }
    return { connected: true, waiting, active, failed };
  }

  async close(): Promise<void> {
    this.closed = true;
    const thread = await this.thread?.catch(() => undefined);
    // a job in hand stays `running` in its status: the next start runs it again
    await thread?.terminate();
  }

  private enqueue(spec: JobSpec, chunks: readonly ChunkTask[]): void {
    this.queued.set(spec.id, chunks.length);
    const done = this.queue.then(() => this.runInThread(spec, chunks));
    this.queue = done.catch(() => undefined);
    this.finished.set(spec.id, done);
  }

  private async runInThread(spec: JobSpec, chunks: readonly ChunkTask[]): Promise<JobResult> {
    this.queued.delete(spec.id);
    if (this.closed) throw new Error(`job ${spec.id} was not run: the service is stopping`);
    this.running = spec.id;
    try {
      const result = await (await this.startedThread()).request({ spec, chunks });
      this.failedChunks += result.failedChunks.length;
      this.log(`job ${spec.id}: ${result.state}, ${result.chunksMerged}/${result.chunks} chunks merged`);
      return result;
    } catch (error) {
      this.thread = undefined;
      if (!this.closed) await this.markFailed(spec.id, (error as Error).message);
      throw error;
    } finally {
      this.running = null;
    }
  }

  private startedThread(): Promise<JobThread> {
    this.thread ??= WorkerHost.start<JobThreadReady, JobThreadRequest, JobThreadReply>({
      directory: __dirname,
      entry: 'job-thread',
      callerFile: __filename,
      workerData: { root: this.storage.root, attempts: this.attempts, workerName: this.workerName } satisfies JobThreadInit,
      label: 'the in-process job thread',
    }).then((thread) => {
      const { nice, idleClass, unchanged } = thread.ready.priority;
      this.log(
        `job thread started (nice ${nice ?? '?'}${idleClass ? ', SCHED_IDLE' : ''}${unchanged ? `; priority unchanged: ${unchanged}` : ''})`,
      );
      return thread;
    });
    this.thread.catch(() => (this.thread = undefined));
    return this.thread;
  }

  /** A job whose thread failed or died is marked failed, its chunks as they were, so it is not shown running for ever. */
  private async markFailed(id: string, reason: string): Promise<void> {
    this.log(`job ${id} failed in the job thread: ${reason}`);
    const status = jobStatusSchema.parse(parse(await this.storage.get(statusKey(id))));
    await this.storage.put(statusKey(id), json({ ...status, state: 'failed' }));
  }
}
