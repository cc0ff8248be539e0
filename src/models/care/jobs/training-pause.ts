/**
 * A flag shared between the service's thread and a training worker: while it is set, the worker waits before its
 * next step, so that an acquisition that needs every core gets them. A step already running finishes first (the
 * training kernels are synchronous), so the pause takes effect within one step.
 */
const POLL_MS = 20;

export class TrainingPause {
  readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  private readonly flag = new Int32Array(this.buffer);

  set(paused: boolean): void {
    Atomics.store(this.flag, 0, paused ? 1 : 0);
  }

  get paused(): boolean {
    return Atomics.load(this.flag, 0) === 1;
  }
}

/** The worker's side: resolves once the flag in `buffer` is clear, or the training is cancelled. */
export function waitWhilePaused(buffer: SharedArrayBuffer, signal?: AbortSignal): () => Promise<void> {
  const flag = new Int32Array(buffer);
  return async () => {
    while (Atomics.load(flag, 0) === 1 && !signal?.aborted) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  };
}
