import { Module } from '@nestjs/common';
import { JobsService } from './jobs.service';

/** Offline reconstruction jobs (Deep-STORM, CARE) on BullMQ or in a worker thread; the config comes from the global ConfigModule. */
@Module({ providers: [JobsService], exports: [JobsService] })
export class JobsModule {}
