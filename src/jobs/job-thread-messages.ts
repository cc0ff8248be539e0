import type { ChunkTask, JobResult, JobSpec } from './job-spec';
import type { ThreadPriority } from '../models/runtime/thread-priority';

/** What the job thread is started with: where the storage is, how often a chunk is tried, who it is in statuses. */
export interface JobThreadInit {
  readonly root: string;
  readonly attempts: number;
  readonly workerName: string;
}

/** The thread's scheduling once it lowered it, so the service can say whether the acquisition comes first. */
export interface JobThreadReady {
  readonly priority: ThreadPriority;
}

/** One registered job to run to its merge. */
export interface JobThreadRequest {
  readonly spec: JobSpec;
  readonly chunks: readonly ChunkTask[];
}

export type JobThreadReply = JobResult;
