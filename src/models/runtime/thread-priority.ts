import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The lowest scheduling priority (the highest nice value) Linux gives. */
export const LOWEST_PRIORITY = 19;

export interface ThreadPriority {
  /** The kernel's id of this thread (Linux), or null where it cannot be known. */
  readonly threadId: number | null;
  readonly nice: number | null;
  /** Why the priority was left as it was. */
  readonly unchanged?: string;
}

/**
 * Lowers the priority of the calling thread alone (not its process), so that a worker thread's long computation
 * (training) yields the cores to the acquisition's threads whenever they are runnable. On Linux, setpriority on a
 * thread's own id affects that thread only; /proc/thread-self names it.
 */
export function lowerThisThreadPriority(nice = LOWEST_PRIORITY): ThreadPriority {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch (err) {
    return { threadId: null, nice: null, unchanged: `this system has no /proc/thread-self (${(err as Error).message})` };
  }
  try {
    setPriority(threadId, nice);
    return { threadId, nice: getPriority(threadId) };
  } catch (err) {
    return { threadId, nice: null, unchanged: (err as Error).message };
  }
}
