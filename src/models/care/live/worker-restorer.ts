import type { Worker } from 'node:worker_threads';
import { transferableCopy } from '../../runtime/frame-copy';
import { startSourceWorker } from '../../runtime/start-worker';
import type { RuntimeChoice } from '../../runtime/open-runtime';
import { ModelFolderError, ModelInputShapeError, ModelNotFoundError } from '../../store/model-errors';
import { SHIPPED_MODELS_DIR } from '../../store/model-store';
import { DEFAULT_CARE_MODEL } from '../care-model';
import type { Restoration, RestorerOptions } from '../care-restorer';
import type { FrameRestorer } from './frame-restorer';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-messages';

export interface WorkerRestorerOptions extends RestorerOptions {
  readonly directories?: readonly string[];
  readonly runtime?: RuntimeChoice;
}

/** The worker's error as the class a caller can handle (the message already says where). */
function rebuildError(name: string, message: string): Error {
  const error =
    name === 'ModelNotFoundError' ? new ModelNotFoundError(message) : name === 'ModelInputShapeError' ? new ModelInputShapeError(message) : new Error(message);
  if (name === 'ModelFolderError') Object.defineProperty(error, 'name', { value: 'ModelFolderError' });
  return error;
}

const startWorker = (init: WorkerInit): Worker => startSourceWorker(__dirname, 'restorer-worker', __filename, init);

/**
 * A CARE model hosted in a worker thread: restore() posts the frame and resolves with the restoration, so the
 * calling thread (camera, sockets, HTTP) never waits on inference. One frame is processed at a time; callers
 * queue through a BoundedBranch.
 */
export class WorkerCareRestorer implements FrameRestorer {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: Restoration) => void; reject: (e: Error) => void; widthPx: number; heightPx: number }>();
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly modelId: string,
    readonly runtimeName: string,
  ) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') return;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.type === 'failed') waiting.reject(rebuildError(reply.name, reply.message));
      else waiting.resolve({ widthPx: waiting.widthPx, heightPx: waiting.heightPx, restored: reply.restored, uncertainty: reply.uncertainty, quality: reply.quality });
    });
    worker.on('exit', (code) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`CARE worker for "${modelId}" exited (code ${code}) before answering`));
      this.pending.clear();
    });
  }

  static start(model: string = DEFAULT_CARE_MODEL, options: WorkerRestorerOptions = {}): Promise<WorkerCareRestorer> {
    const { directories, runtime, ...restorer } = options;
    const worker = startWorker({ model, directories: directories ?? [SHIPPED_MODELS_DIR], runtime: runtime ?? 'auto', restorer });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(new ModelFolderError(model, `CARE worker failed to start (${err.message})`));
      worker.once('error', onError);
      worker.once('message', (reply: WorkerReply) => {
        worker.off('error', onError);
        if (reply.type === 'ready') resolve(new WorkerCareRestorer(worker, reply.modelId, reply.runtimeName));
        else {
          void worker.terminate();
          reject(reply.type === 'failed' ? rebuildError(reply.name, reply.message) : new Error(`CARE worker sent ${reply.type} before ready`));
        }
      });
    });
  }

  restore(pixels: ArrayLike<number>, widthPx: number, heightPx: number): Promise<Restoration> {
    if (this.exited) return Promise.reject(new Error(`CARE worker for "${this.modelId}" is closed`));
    const id = this.nextId++;
    const copy = transferableCopy(pixels);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, widthPx, heightPx });
      const request: WorkerRequest = { type: 'restore', id, pixels: copy, widthPx, heightPx };
      this.worker.postMessage(request, [copy.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** A CareModel used in the calling thread, behind the same interface (tests, batch commands). */
export function inThreadRestorer(model: { id: string; runtime: { name: string }; restore: FrameRestorer['restore']; dispose(): Promise<void> }): FrameRestorer {
  return {
    modelId: model.id,
    runtimeName: model.runtime.name,
    restore: (pixels, widthPx, heightPx) => model.restore(pixels, widthPx, heightPx),
    close: () => model.dispose(),
  };
}
