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

export const specKey = (jobId: string): string => `jobs/${jobId}/job.json`;
export const statusKey = (jobId: string): string => `jobs/${jobId}/status.json`;
