/**
 * Worker-thread side of WorkerCareRestorer: loads one CARE model and restores the frames posted to it, so that
 * TensorFlow.js' synchronous kernels never block the thread that receives camera frames.
 */
import { serveInWorker } from '../../runtime/serve-in-worker';
import { ModelStore } from '../../store/model-store';
import { loadCareModel } from '../care-model';
import type { RestoreReply, RestoreRequest, RestorerReady, WorkerInit } from './worker-messages';

serveInWorker<WorkerInit, RestorerReady, RestoreRequest, RestoreReply>(async (init) => {
  const model = await loadCareModel(init.model, { ...init.restorer, runtime: init.runtime, store: new ModelStore(init.directories) });
  return {
    ready: { modelId: model.id, runtimeName: model.runtime.name },
    answer: async (request) => {
      const { restored, uncertainty, quality } = await model.restore(request.pixels, request.widthPx, request.heightPx);
      return { body: { restored, uncertainty, quality }, transfer: [restored.buffer as ArrayBuffer, uncertainty.buffer as ArrayBuffer] };
    },
    close: () => model.dispose(),
  };
});
