import { isIP } from 'node:net';
import type { RedisOptions } from 'bullmq';
import { RedisSettingsError } from './jobs-errors';

export interface RedisSettings {
  readonly url: string;
  /** From the config (jobs.redis.password); a password in the URL is used when this is null. */
  readonly password: string | null;
}

/** True for hosts only this machine can reach (what may go without a password). */
export function isLoopbackRedisHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

/** The URL without its password, for messages and logs. */
export function redactedRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Connection options for BullMQ from the configured URL and password. A host beyond loopback without a password
 * is refused: an open Redis lets anyone on the network queue work for the workers or read the queue.
 * Commands wait across a Redis restart instead of failing (maxRetriesPerRequest: null, as BullMQ workers need).
 */
export function redisConnectionOptions(settings: RedisSettings): RedisOptions {
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new RedisSettingsError(`jobs.redis.url: ${redactedRedisUrl(settings.url)} is not a URL (redis://host:port[/db])`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new RedisSettingsError(`jobs.redis.url: ${redactedRedisUrl(settings.url)} must start with redis:// or rediss://`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new RedisSettingsError(`jobs.redis.url: ${redactedRedisUrl(settings.url)} names no host`);
  const port = url.port ? Number(url.port) : 6379;
  const password = settings.password ?? (url.password ? decodeURIComponent(url.password) : null);
  if (!password && !isLoopbackRedisHost(host)) {
    throw new RedisSettingsError(
      `refusing Redis at ${host}:${port} without a password: the host is not loopback, so anyone who reaches it could ` +
        'queue work or read the queue; set jobs.redis.password (and requirepass in redis.conf)',
    );
  }
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new RedisSettingsError(`jobs.redis.url: database "${url.pathname.slice(1)}" is not a number`);
  return {
    host,
    port,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(password ? { password } : {}),
    ...(url.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
    maxRetriesPerRequest: null,
    // reconnect quickly and for ever: a restarted Redis is back within seconds, and the job goes on
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
  };
}
