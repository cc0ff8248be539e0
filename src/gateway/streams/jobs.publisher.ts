import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { catchError, EMPTY, exhaustMap, from, mergeMap, timer, type Observable } from 'rxjs';
import type { JobStatus } from '../../jobs/job-status';
import { JobsService } from '../../jobs/jobs.service';
import type { StreamRecord } from './stream-types';
import { StreamsRegistry } from './streams.registry';

/** How often the jobs' state is read (Redis or the service's own bookkeeping); only changes go to clients. */
export const JOBS_POLL_MS = 1000;

/** A job's status as the dashboard follows it: per chunk, plus the counts a progress bar needs. */
export function jobRecord(job: JobStatus): StreamRecord {
  const done = job.chunks.filter((c) => c.state === 'completed').length;
  const retries = job.chunks.reduce((n, c) => n + c.failedAttempts + c.stalls, 0);
  return { ...job, chunksDone: done, progress: job.chunks.length ? done / job.chunks.length : 0, retries };
}

/**
 * Offline jobs' progress as the `jobs` state stream (socket.io `records`): whenever any job's status changes, one
 * record listing every job (a state stream keeps only its latest record for a slow client, so each must be whole)
 * and which changed, whichever backend runs them (BullMQ workers on other machines, or the service's own thread).
 */
@Injectable()
export class JobsPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private unregister?: () => void;

  constructor(
    private readonly registry: StreamsRegistry,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    if (!this.jobs.enabled) return;
    this.unregister = this.registry.registerRecordStream('jobs', 'state', this.changes(), { title: 'offline jobs' });
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  private changes(): Observable<StreamRecord> {
    const last = new Map<string, string>();
    let warned = false;
    return timer(0, JOBS_POLL_MS).pipe(
      exhaustMap(() =>
        from(this.jobs.list()).pipe(
          catchError((error: unknown) => {
            if (!warned) this.logger.warn({ msg: `cannot read the jobs' state for the dashboard: ${(error as Error).message}` });
            warned = true;
            return EMPTY;
          }),
        ),
      ),
      mergeMap((jobs) => {
        warned = false;
        const changed: string[] = [];
        for (const job of jobs) {
          const text = JSON.stringify(job);
          if (last.get(job.id) === text) continue;
          last.set(job.id, text);
          changed.push(job.id);
        }
        return changed.length ? [{ jobs: jobs.map(jobRecord), changed }] : [];
      }),
    );
  }
}
