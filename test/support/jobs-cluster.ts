import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PROJECT_ROOT } from './scope-cli';

/** A child process whose stderr lines are kept, so a test can wait for one. */
export class WatchedProcess {
  readonly lines: string[] = [];
  private readonly waiters: Array<{ pattern: RegExp; done: (line: string) => void }> = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    let partial = '';
    const take = (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        this.lines.push(line);
        for (const waiter of [...this.waiters])
          if (waiter.pattern.test(line)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.done(line);
          }
      }
    };
    child.stderr?.on('data', take);
    child.stdout?.on('data', take);
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  /** The first line (seen already or to come) matching `pattern`; fails loudly after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${this.lines.join('\n')}`)),
        timeoutMs,
      );
      this.waiters.push({
        pattern,
        done: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }
}

/** Debian's redis-server on `port`, its append-only file fsynced on every write under `dir` (so it survives kill -9). */
export async function startRedis(port: number, dir: string): Promise<WatchedProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const redis = new WatchedProcess(child);
  child.once('error', (error) => redis.lines.push(`spawn failed: ${error.message}`));
  await redis.waitForLine(/Ready to accept connections/, 10_000);
  return redis;
}

/** A real `scope worker` process. */
export async function startWorker(name: string, args: readonly string[]): Promise<WatchedProcess> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'scope.js'), 'worker', '--name', name, ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const worker = new WatchedProcess(child);
  await worker.waitForLine(/ready on redis:/, 30_000);
  return worker;
}
