import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LOWEST_PRIORITY, type ThreadPriority } from './thread-priority';

/** One thread's fields as the kernel has them (/proc/<pid>/task/<tid>/stat): nice is field 19, policy field 41. */
function kernelStat(threadId: number): string[] {
  const stat = readFileSync(`/proc/${process.pid}/task/${threadId}/stat`, 'utf8');
  // the fields after the command name, from field 3 (state) on
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

const kernelNice = (threadId: number) => Number(kernelStat(threadId)[16]);

describe('lowerThisThreadPriority', () => {
  it('lowers a worker thread to nice 19 and leaves the main thread as it was', async () => {
    const before = getPriority(process.pid);
    const worker = new Worker(
      `require('ts-node').register({ transpileOnly: true });
       const { parentPort } = require('node:worker_threads');
       const reply = require(${JSON.stringify(require.resolve('./thread-priority'))}).lowerThisThreadPriority();
       parentPort.postMessage(reply);
       setTimeout(() => {}, 60000);`,
      { eval: true },
    );
    try {
      const reply = await new Promise<ThreadPriority>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(reply.unchanged).toBeUndefined();
      expect(reply.threadId).not.toBe(process.pid);
      expect(reply.nice).toBe(LOWEST_PRIORITY);
      expect(kernelNice(reply.threadId!)).toBe(LOWEST_PRIORITY);
      // scheduling policy, field 41 of stat: 5 is SCHED_IDLE
      expect(reply.idleClass).toBe(true);
      expect(kernelStat(reply.threadId!)[38]).toBe('5');
      expect(kernelStat(process.pid)[38]).toBe('0');
      expect(kernelNice(process.pid)).toBe(before);
      expect(getPriority(process.pid)).toBe(before);
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
