import type { Worker } from 'node:worker_threads';
import { startSourceWorker } from '../runtime/start-worker';
import type { CameraGrid } from '../smlm/localisation';
import type { BatchContribution, FrameBatchProcessor } from '../smlm/reconstruct/frame-processor';
import type { StormWorkerInit, StormWorkerReply, StormWorkerRequest } from './storm-worker-messages';

const startWorker = (init: StormWorkerInit): Worker => startSourceWorker(__dirname, 'storm-worker', __filename, init);

/**
 * A STORM processor in a worker thread, so that network inference and fitting never hold up the thread that
 * receives camera frames and serves clients. Batches are answered in order, one at a time.
 */
export class WorkerStormProcessor implements FrameBatchProcessor {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (c: BatchContribution) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly method: 'deep-storm' | 'classical',
    readonly upsampling: number,
    readonly preferredBatch: number,
    readonly runtimeName: string,
  ) {
    worker.on('message', (reply: StormWorkerReply) => {
      if (reply.type === 'ready') return;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.type === 'failed') waiting.reject(new Error(reply.message));
      else waiting.resolve({ superResolved: reply.superResolved, localisations: reply.localisations });
    });
    worker.on('exit', (code) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`STORM worker exited (code ${code}) before answering`));
      this.pending.clear();
    });
  }

  static start(init: StormWorkerInit): Promise<WorkerStormProcessor> {
    const worker = startWorker(init);
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(new Error(`STORM worker for ${init.method} "${init.model}" failed to start: ${err.message}`));
      worker.once('error', onError);
      worker.once('message', (reply: StormWorkerReply) => {
        worker.off('error', onError);
        if (reply.type === 'ready') return resolve(new WorkerStormProcessor(worker, reply.method, reply.upsampling, reply.preferredBatch, reply.runtime));
        void worker.terminate();
        reject(new Error(`STORM worker for ${init.method} "${init.model}" failed to start: ${reply.type === 'failed' ? reply.message : reply.type}`));
      });
    });
  }

  process(frames: ReadonlyArray<ArrayLike<number>>, firstFrame: number, grid: CameraGrid): Promise<BatchContribution> {
    if (this.exited) return Promise.reject(new Error('STORM worker is closed'));
    const id = this.nextId++;
    const request: StormWorkerRequest = { id, frames: [...frames], firstFrame, grid };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
