import type { ChunkTask, JobResult, JobSpec } from './job-spec';
import type { JobStatus } from './job-status';

/** The job queue as its users see it, the same with Redis (BullMQ) as in-process. */
export interface JobBackend {
  readonly kind: JobStatus['backend'];
  /** Queues the job's chunks and its merge; in-process, runs them before it returns. */
  submit(spec: JobSpec, chunks: readonly ChunkTask[]): Promise<void>;
  status(id: string): Promise<JobStatus>;
  /** The merged result once the job is finished (completed, partial or failed). */
  waitForResult(id: string, timeoutMs: number): Promise<JobResult>;
  close(): Promise<void>;
}

/** Chunks on the queue by state: BullMQ's getJobCounts with Redis, the backend's own bookkeeping in-process. */
export interface QueueCounts {
  /** Whether the queue answers (always, in-process); the counts are null while it does not. */
  readonly connected: boolean;
  /** Chunks queued, or waiting to be retried. */
  readonly waiting: number | null;
  readonly active: number | null;
  /** Chunks that failed for good (every try). */
  readonly failed: number | null;
}

/** What the service asks of a backend beyond the command line's needs: every job, and the queue at a glance. */
export interface ServiceJobBackend extends JobBackend {
  /** Job ids: in-process every one in the storage, by id; on Redis the newest 500, oldest first. */
  list(): Promise<string[]>;
  counts(): Promise<QueueCounts>;
}

export const specKey = (jobId: string): string => `jobs/${jobId}/job.json`;
export const statusKey = (jobId: string): string => `jobs/${jobId}/status.json`;
