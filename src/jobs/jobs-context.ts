import type { RedisOptions } from 'bullmq';
import { BullJobBackend } from './bull-backend';
import { InProcessJobBackend } from './in-process-backend';
import type { JobBackend } from './job-backend';
import type { JobsSettings } from './jobs.config';
import { FileJobStorage, type JobStorage } from './job-storage';
import { redisConnectionOptions } from './redis-connection';

export interface JobsContext {
  readonly settings: JobsSettings['jobs'];
  readonly storage: JobStorage;
  /** Null when no Redis is configured: jobs run in-process. */
  readonly redis: RedisOptions | null;
  readonly backend: JobBackend;
}

/** The storage, the Redis connection (checked: no password beyond loopback is refused) and the backend they imply. */
export function jobsContext(config: JobsSettings): JobsContext {
  const settings = config.jobs;
  const storage = new FileJobStorage(settings.storage ?? config.storage.directory);
  const redis = settings.redis.url ? redisConnectionOptions({ url: settings.redis.url, password: settings.redis.password }) : null;
  const backend = redis ? new BullJobBackend(redis, settings.attempts) : new InProcessJobBackend(storage, settings.attempts);
  return { settings, storage, redis, backend };
}
