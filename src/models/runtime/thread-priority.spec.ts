import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LOWEST_PRIORITY, type ThreadPriority } from './thread-priority';

/** The nice value of one thread as the kernel has it: field 19 of /proc/<pid>/task/<tid>/stat. */
function kernelNice(threadId: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${threadId}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

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
      expect(kernelNice(process.pid)).toBe(before);
      expect(getPriority(process.pid)).toBe(before);
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
