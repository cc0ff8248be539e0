import { z } from 'zod';
import { mergeConfig } from '../../config/load-config';
import { jobsContext, type JobsContext } from '../../jobs/jobs-context';
import { loadConfig } from '../../scope-config';

/** The options every jobs command takes: where the queue and the storage are. */
export const jobsConnectionOptions = {
  redis: z.string().min(1).optional().describe('redis://host:port[/db]; jobs.redis.url by default; none: jobs run in-process'),
  storage: z.string().min(1).optional().describe('root every worker sees; jobs.storage (or storage.directory) by default'),
  config: z.string().min(1).optional().describe('config file; $SCOPE_CONFIG by default'),
};

export interface JobsConnection {
  readonly redis?: string;
  readonly storage?: string;
  readonly config?: string;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
}

/** The config file with the command line's choices over it, validated as the service validates it. */
export function jobsContextFrom(options: JobsConnection): JobsContext {
  const jobs: Record<string, unknown> = {};
  if (options.redis) jobs.redis = { url: options.redis };
  if (options.storage) jobs.storage = options.storage;
  if (options.lockDurationMs !== undefined) jobs.lockDurationMs = options.lockDurationMs;
  if (options.stalledIntervalMs !== undefined) jobs.stalledIntervalMs = options.stalledIntervalMs;
  const config = loadConfig({ file: options.config ?? process.env.SCOPE_CONFIG, overrides: mergeConfig({}, { jobs }) });
  return jobsContext(config);
}
