import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { transferableCopy } from '../runtime/frame-copy';
import { startSourceWorker } from '../runtime/start-worker';
import { ModelInputShapeError } from '../store/model-errors';
import type { FramePrediction, FramePredictor } from './frame-predictor';
import { ZooPackageError, ZooReproducibilityError } from './zoo-errors';
import type { ZooModelOptions } from './zoo-model';
import type { ZooWorkerInit, ZooWorkerReply, ZooWorkerRequest } from './zoo-worker-messages';

/**
 * The worker's error as a class a caller can handle: shape errors as ModelInputShapeError, package errors as
 * ZooPackageError (ZooReproducibilityError kept; checksum and format errors keep their name).
 */
function rebuildError(name: string, message: string, folder: string): Error {
  const problem = message.replace(/^Zoo package [^:]*: /, '');
  switch (name) {
    case 'ModelInputShapeError':
      return new ModelInputShapeError(message);
    case 'ZooWeightsFormatError':
    case 'ZooChecksumError':
    case 'ZooReproducibilityError':
    case 'ZooPackageError': {
      const error = name === 'ZooReproducibilityError' ? new ZooReproducibilityError(folder, problem) : new ZooPackageError(folder, problem);
      if (name !== error.name) Object.defineProperty(error, 'name', { value: name });
      return error;
    }
    default:
      return new Error(message);
  }
}
const startWorker = (init: ZooWorkerInit): Worker => startSourceWorker(__dirname, 'zoo-worker', __filename, init);

/**
 * A Zoo model hosted in a worker thread: predict() posts a copy of the frame and resolves with the prediction, so
 * the thread that receives camera frames never waits on inference. Callers queue through a bounded branch.
 */
export class WorkerZooPredictor implements FramePredictor {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (p: FramePrediction) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    private readonly folder: string,
    readonly modelId: string,
    readonly runtimeName: string,
    /** The model's input axes and sizes, the chosen output's channel count and names (from the worker). */
    readonly shape: { readonly input: string; readonly outputChannels: number | null; readonly channelNames?: readonly string[] },
  ) {
    worker.on('message', (reply: ZooWorkerReply) => {
      if (reply.type === 'ready') return;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.type === 'failed') waiting.reject(rebuildError(reply.name, reply.message, folder));
      else waiting.resolve(reply.prediction);
    });
    worker.on('exit', (code) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`Zoo worker for "${modelId}" exited (code ${code}) before answering`));
      this.pending.clear();
    });
  }

  static start(folder: string, options: ZooModelOptions = {}, outputIndex = 0): Promise<WorkerZooPredictor> {
    const dir = resolve(folder);
    const worker = startWorker({ folder: dir, options, outputIndex });
    return new Promise((resolvePromise, reject) => {
      const onError = (err: Error) => reject(new ZooPackageError(dir, `Zoo worker failed to start (${err.message})`));
      worker.once('error', onError);
      worker.once('message', (reply: ZooWorkerReply) => {
        worker.off('error', onError);
        if (reply.type === 'ready') {
          const { input, outputChannels, channelNames } = reply;
          resolvePromise(new WorkerZooPredictor(worker, dir, reply.modelId, reply.runtimeName, { input, outputChannels, ...(channelNames ? { channelNames } : {}) }));
        }
        else {
          void worker.terminate();
          reject(reply.type === 'failed' ? rebuildError(reply.name, reply.message, dir) : new Error(`Zoo worker sent ${reply.type} before ready`));
        }
      });
    });
  }

  predict(pixels: ArrayLike<number>, widthPx: number, heightPx: number): Promise<FramePrediction> {
    if (this.exited) return Promise.reject(new Error(`Zoo worker for "${this.modelId}" is closed`));
    const id = this.nextId++;
    const copy = transferableCopy(pixels);
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject });
      const request: ZooWorkerRequest = { type: 'predict', id, pixels: copy, widthPx, heightPx };
      this.worker.postMessage(request, [copy.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((done) => this.worker.once('exit', () => done()));
    this.worker.postMessage({ type: 'close' } satisfies ZooWorkerRequest);
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
