import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SCOPE_CONFIG } from '../config/config.module';
import { DEFAULT_CARE_MODEL } from '../models/care/care-model';
import { DEFAULT_DEEP_STORM_MODEL } from '../models/smlm/deep-storm/load-deep-storm';
import { ModelNotFoundError } from '../models/store/model-errors';
import { ModelStore } from '../models/store/model-store';
import { BullJobBackend } from './bull-backend';
import type { QueueCounts, ServiceJobBackend } from './job-backend';
import { jobSpecSchema, type JobSpec } from './job-spec';
import type { JobStatus } from './job-status';
import { FileJobStorage } from './job-storage';
import type { JobSubmission } from './job-submission';
import type { JobsSettings } from './jobs.config';
import { JobRequestError, JobStorageError, JobsDisabledError, UnknownJobError } from './jobs-errors';
import { redactedRedisUrl, redisConnectionOptions } from './redis-connection';
import { submitJob } from './submit-job';
import { ThreadedJobBackend } from './threaded-job-backend';

export type JobsHealth = ({ readonly enabled: true; readonly backend: JobStatus['backend'] } & QueueCounts) | { readonly enabled: false };

const JOB_ID = jobSpecSchema.shape.id;

/**
 * Offline Deep-STORM and CARE jobs for the service: on BullMQ for `scope worker` processes when jobs.redis.url is
 * set, else in a worker thread of this process (never on the event loop that drives the cameras). Same API, same
 * chunks and the same results either way.
 */
@Injectable()
export class JobsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly storage: FileJobStorage;
  private readonly backend: ServiceJobBackend | null;
  private readonly models = new ModelStore();

  constructor(@Inject(SCOPE_CONFIG) private readonly config: JobsSettings) {
    const settings = config.jobs;
    this.storage = new FileJobStorage(settings.storage ?? config.storage.directory);
    const log = (message: string) => this.logger.log({ msg: message });
    if (!settings.enabled) this.backend = null;
    else if (settings.redis.url) {
      const connection = redisConnectionOptions({ url: settings.redis.url, password: settings.redis.password });
      this.backend = new BullJobBackend(connection, settings.attempts, (message) => this.logger.warn({ msg: message }));
      log(`jobs go on Redis at ${redactedRedisUrl(settings.redis.url)} for scope worker processes; storage ${this.storage.location}`);
    } else this.backend = new ThreadedJobBackend(this.storage, settings.attempts, log);
  }

  get enabled(): boolean {
    return this.backend !== null;
  }

  async onModuleInit(): Promise<void> {
    if (!(this.backend instanceof ThreadedJobBackend)) return;
    const resumed = await this.backend.resumeUnfinished();
    if (resumed.length) this.logger.log({ msg: `going on with jobs left unfinished at the last stop: ${resumed.join(', ')}` });
  }

  async onModuleDestroy(): Promise<void> {
    await this.backend?.close();
  }

  /** Checks what the request names (data set under the storage, model), cuts the job into chunks and queues it. */
  async submit(request: JobSubmission): Promise<JobStatus> {
    const backend = this.required();
    const settings = this.config.jobs;
    const model = request.model ?? (request.kind === 'storm' ? DEFAULT_DEEP_STORM_MODEL : DEFAULT_CARE_MODEL);
    try {
      this.models.locate(model);
    } catch (error) {
      if (error instanceof ModelNotFoundError) throw new JobRequestError(`model: ${error.message}`);
      throw error;
    }
    const method: JobSpec['method'] =
      request.kind === 'storm'
        ? { kind: 'storm', model, runtime: request.runtime, pixelSizeNm: request.pixelSizeNm ?? null }
        : { kind: 'denoise', model, runtime: request.runtime };
    const sizes =
      request.chunkSize === undefined
        ? {}
        : request.kind === 'storm'
          ? { stormFramesPerChunk: request.chunkSize }
          : { denoisePlanesPerChunk: request.chunkSize };
    try {
      const dataset = this.storage.keyOf(request.dataset);
      const { spec } = await submitJob({ settings: { ...settings, ...sizes }, storage: this.storage, backend }, { method, dataset });
      this.logger.log({ msg: `job ${spec.id} queued (${backend.kind}): ${spec.method.kind} of ${spec.dataset.key}` });
      return await backend.status(spec.id);
    } catch (error) {
      if (error instanceof JobStorageError) throw new JobRequestError(`dataset: ${error.message}`);
      throw error;
    }
  }

  /** Every job the backend knows (the newest 500 on Redis); one whose status cannot be read is left out. */
  async list(): Promise<JobStatus[]> {
    const backend = this.required();
    const statuses = await Promise.all((await backend.list()).map((id) => backend.status(id).catch(() => null)));
    return statuses.filter((status): status is JobStatus => status !== null);
  }

  async get(id: string): Promise<JobStatus> {
    const backend = this.required();
    if (!JOB_ID.safeParse(id).success) throw new UnknownJobError(`no job ${id} (not a job id: letters, digits, _ . - only)`);
    return backend.status(id);
  }

  /** Resolves with the merged result once the job is over. */
  waitForResult(id: string, timeoutMs: number) {
    return this.required().waitForResult(id, timeoutMs);
  }

  async health(): Promise<JobsHealth> {
    if (!this.backend) return { enabled: false };
    return { enabled: true, backend: this.backend.kind, ...(await this.backend.counts()) };
  }

  private required(): ServiceJobBackend {
    if (!this.backend) throw new JobsDisabledError('jobs are not configured on this service (jobs.enabled is false)');
    return this.backend;
  }
}
