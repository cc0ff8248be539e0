import type { Worker } from 'node:worker_threads';
import { startSourceWorker } from './start-worker';
import type { HostReply, HostRequest, SerializedError } from './worker-envelope';

export class WorkerExitedError extends Error {
  override readonly name = 'WorkerExitedError';
}

export class WorkerClosedError extends Error {
  override readonly name = 'WorkerClosedError';
}

export interface WorkerHostOptions {
  /** The worker entry `<directory>/<entry>.ts|.js`, started in the same form as `callerFile`. */
  readonly directory: string;
  readonly entry: string;
  readonly callerFile: string;
  readonly workerData: unknown;
  /** Who the worker is, for errors: `CARE worker for "care-default"`. */
  readonly label: string;
  /** The worker's failure as the class a caller can handle (default: an Error of the same name). */
  readonly rebuildError?: (error: SerializedError) => Error;
  /** The worker could not run at all (its entry did not load). */
  readonly startError?: (err: Error) => Error;
}

/** A failure of the worker with its name kept, so callers can tell one from another without its class. */
export function namedError({ name, message }: SerializedError): Error {
  const error = new Error(message);
  if (name !== 'Error') Object.defineProperty(error, 'name', { value: name });
  return error;
}

interface Waiting<Reply> {
  readonly resolve: (reply: Reply) => void;
  readonly reject: (err: Error) => void;
}

const CLOSE_GRACE_MS = 5000;

/**
 * A worker thread that answers requests: it starts once the worker says it is ready, matches each reply to its
 * request by id (several may be in flight), and when the worker exits, rejects every request still waiting.
 */
export class WorkerHost<Ready, Request, Reply> {
  private nextId = 0;
  private readonly pending = new Map<number, Waiting<Reply>>();
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    private readonly options: WorkerHostOptions,
    readonly ready: Ready,
  ) {
    worker.on('message', (message: HostReply<Ready, Reply>) => this.answer(message));
    worker.on('exit', (code) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(new WorkerExitedError(`${options.label} exited (code ${code}) before answering`));
      this.pending.clear();
    });
  }

  static start<Ready, Request, Reply>(options: WorkerHostOptions): Promise<WorkerHost<Ready, Request, Reply>> {
    const worker = startSourceWorker(options.directory, options.entry, options.callerFile, options.workerData);
    const rebuild = options.rebuildError ?? namedError;
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(options.startError?.(err) ?? new Error(`${options.label} failed to start (${err.message})`));
      worker.once('error', onError);
      worker.once('message', (message: HostReply<Ready, Reply>) => {
        worker.off('error', onError);
        if (message.type === 'ready') return resolve(new WorkerHost<Ready, Request, Reply>(worker, options, message.info));
        void worker.terminate();
        reject(message.type === 'failed' ? rebuild(message) : new Error(`${options.label} sent ${message.type} before ready`));
      });
    });
  }

  /** Posts one request (transferring `transfer`) and resolves with the worker's reply to it. */
  request(body: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.exited) return Promise.reject(new WorkerClosedError(`${this.options.label} is closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'request', id, body } satisfies HostRequest<Request>, transfer);
    });
  }

  /** Asks the worker to release its model and exit; terminates it if it has not within a few seconds. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' } satisfies HostRequest<Request>);
    const timer = setTimeout(() => void this.worker.terminate(), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the worker at once, as a crash would: nothing is asked of it, every waiting request is rejected. */
  async terminate(): Promise<void> {
    if (this.exited) return;
    await this.worker.terminate();
  }

  private answer(message: HostReply<Ready, Reply>): void {
    if (message.type === 'ready') return;
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.type === 'failed') waiting.reject((this.options.rebuildError ?? namedError)(message));
    else waiting.resolve(message.body);
  }
}
