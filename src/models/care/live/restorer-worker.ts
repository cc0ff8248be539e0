/**
 * Worker-thread side of WorkerCareRestorer: loads one CARE model and restores the frames posted to it, so that
 * TensorFlow.js' synchronous kernels never block the thread that receives camera frames.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCareModel, type CareModel } from '../care-model';
import { ModelStore } from '../../store/model-store';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-messages';

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('restorer-worker must run in a worker thread');
  const init = workerData as WorkerInit;
  let model: CareModel;
  try {
    model = await loadCareModel(init.model, { ...init.restorer, runtime: init.runtime, store: new ModelStore(init.directories) });
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'failed', id: -1, name: e.name, message: e.message } satisfies WorkerReply);
    return;
  }
  port.postMessage({ type: 'ready', modelId: model.id, runtimeName: model.runtime.name } satisfies WorkerReply);
  port.on('message', (request: WorkerRequest) => {
    if (request.type === 'close') {
      void model.dispose().then(() => port.close());
      return;
    }
    model.restore(request.pixels, request.widthPx, request.heightPx).then(
      (r) => {
        const reply: WorkerReply = { type: 'restored', id: request.id, restored: r.restored, uncertainty: r.uncertainty, quality: r.quality };
        port.postMessage(reply, [r.restored.buffer as ArrayBuffer, r.uncertainty.buffer as ArrayBuffer]);
      },
      (err: Error) => port.postMessage({ type: 'failed', id: request.id, name: err.name, message: err.message } satisfies WorkerReply),
    );
  });
}

void serve();
