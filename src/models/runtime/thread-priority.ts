import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The lowest scheduling priority (the highest nice value) Linux gives. */
export const LOWEST_PRIORITY = 19;

export interface ThreadPriority {
  /** The kernel's id of this thread (Linux), or null where it cannot be known. */
  readonly threadId: number | null;
  readonly nice: number | null;
  /** SCHED_IDLE: the thread runs only when no other thread wants the core, and yields at once when one wakes. */
  readonly idleClass: boolean;
  /** Why the priority was left as it was. */
  readonly unchanged?: string;
}

/**
 * Lowers the priority of the calling thread alone (not its process), so that a worker thread's long computation
 * (training) yields the cores to the acquisition's threads whenever they are runnable: nice 19, and the SCHED_IDLE
 * class where the system allows it (at nice 19 alone a woken acquisition thread may still wait out the training's
 * time slice). On Linux, setpriority on a thread's own id affects that thread only; /proc/thread-self names it.
 */
export function lowerThisThreadPriority(nice = LOWEST_PRIORITY): ThreadPriority {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch (err) {
    return { threadId: null, nice: null, idleClass: false, unchanged: `this system has no /proc/thread-self (${(err as Error).message})` };
  }
  try {
    setPriority(threadId, nice);
  } catch (err) {
    return { threadId, nice: null, idleClass: false, unchanged: (err as Error).message };
  }
  return { threadId, nice: getPriority(threadId), idleClass: idleClass(threadId) };
}

/** Puts the thread in the SCHED_IDLE class (util-linux's chrt; Node has no call for it); false where that fails. */
function idleClass(threadId: number): boolean {
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', String(threadId)], { stdio: 'ignore', timeout: 2000 });
    return true;
  } catch {
    return false;
  }
}
