import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { map } from 'rxjs';
import { TrainingJobsService } from '../../models/care/jobs/training-jobs.service';
import type { StreamRecord } from './stream-types';
import { StreamsRegistry } from './streams.registry';

/** Training jobs' progress as the `care-training` state stream (socket.io `records`): the latest state of each change. */
@Injectable()
export class CareTrainingPublisher implements OnModuleInit, OnModuleDestroy {
  private unregister?: () => void;

  constructor(
    private readonly registry: StreamsRegistry,
    private readonly jobs: TrainingJobsService,
  ) {}

  onModuleInit(): void {
    const records$ = this.jobs.events$.pipe(
      map((job): StreamRecord => ({
        id: job.id,
        state: job.state,
        mode: job.spec.mode,
        progress: job.progress,
        history: job.history,
        ...(job.outcome ? { modelId: job.outcome.modelId, evaluation: job.outcome.evaluation } : {}),
        ...(job.deployed ? { deployed: job.deployed } : {}),
        ...(job.error ? { error: job.error } : {}),
      })),
    );
    this.unregister = this.registry.registerRecordStream('care-training', 'state', records$, { title: 'CARE training' });
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }
}
