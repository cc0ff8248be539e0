import { isLoopbackRedisHost, redactedRedisUrl, redisConnectionOptions } from './redis-connection';

describe('redisConnectionOptions', () => {
  it('refuses a host beyond loopback without a password, naming the host and the setting', () => {
    expect(() => redisConnectionOptions({ url: 'redis://10.1.2.3:6380', password: null })).toThrow(
      /refusing Redis at 10.1.2.3:6380 without a password: the host is not loopback.*jobs.redis.password/,
    );
    expect(() => redisConnectionOptions({ url: 'redis://queue.lab.example', password: null })).toThrow(/queue.lab.example:6379/);
  });

  it('takes the configured password, or the URL one, for remote hosts', () => {
    expect(redisConnectionOptions({ url: 'redis://10.1.2.3:6380/2', password: 's3cret' })).toMatchObject({
      host: '10.1.2.3',
      port: 6380,
      db: 2,
      password: 's3cret',
    });
    expect(redisConnectionOptions({ url: 'redis://:p%40ss@10.1.2.3', password: null }).password).toBe('p@ss');
  });

  it('lets loopback go without a password and waits across Redis restarts', () => {
    const options = redisConnectionOptions({ url: 'redis://127.0.0.1:7000', password: null });
    expect(options).toMatchObject({ host: '127.0.0.1', port: 7000, maxRetriesPerRequest: null });
    expect(options.password).toBeUndefined();
    expect(['localhost', '127.0.0.5', '::1', '[::1]'].every(isLoopbackRedisHost)).toBe(true);
    expect(['10.0.0.1', '0.0.0.0', 'redis', '::'].some(isLoopbackRedisHost)).toBe(false);
  });

  it('never prints a password', () => {
    expect(redactedRedisUrl('redis://user:hunter2@host:1')).toBe('redis://user:***@host:1');
    expect(() => redisConnectionOptions({ url: 'http://x', password: null })).toThrow(/must start with redis:\/\//);
  });
});
