import { hostname } from 'node:os';
import { z } from 'zod';
import { startJobWorker } from '../../jobs/bull-worker';
import { redactedRedisUrl } from '../../jobs/redis-connection';
import { EXIT } from '../exit-codes';
import { parseOptions } from '../options';
import { UsageError } from '../usage-error';
import { jobsConnectionOptions, jobsContextFrom } from './jobs-cli-config';

const USAGE =
  'scope worker --redis redis://host:port --storage <root> [--name <name>] [--lock-duration-ms <ms>] [--stalled-interval-ms <ms>] [--config <file>]';

const optionsSchema = z
  .object({
    name: z.string().min(1).optional().describe('shown in scope jobs status; <host>:<pid> by default'),
    lockDurationMs: z.coerce.number().int().optional().describe('jobs.lockDurationMs by default'),
    stalledIntervalMs: z.coerce.number().int().optional().describe('jobs.stalledIntervalMs by default'),
    ...jobsConnectionOptions,
  })
  .strict();

/** `scope worker`: takes chunks and merges off the Redis queue until SIGTERM or SIGINT. */
export async function workerCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseOptions(argv, optionsSchema, USAGE);
  if (positional.length > 0) throw new UsageError(`usage: ${USAGE}`);
  const context = jobsContextFrom(options);
  await context.backend.close();
  if (!context.redis || !context.settings.redis.url)
    throw new UsageError(`a worker needs a queue: give --redis redis://host:port or set jobs.redis.url\nusage: ${USAGE}`);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log = (message: string) => process.stderr.write(`scope worker ${name}: ${message}\n`);
  const worker = startJobWorker({
    connection: context.redis,
    storage: context.storage,
    name,
    lockDurationMs: context.settings.lockDurationMs,
    stalledIntervalMs: context.settings.stalledIntervalMs,
    maxStalledCount: context.settings.maxStalledCount,
    log,
  });
  const stopped = new Promise<string>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  await worker.ready;
  log(`ready on ${redactedRedisUrl(context.settings.redis.url)}, storage ${context.storage.location}`);
  log(`stopping (${await stopped}) after the chunk in hand`);
  await worker.close();
  return EXIT.ok;
}
