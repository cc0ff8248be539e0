/** Worker thread hosting a STORM processor (src/models/live/worker-storm-processor.ts posts batches to it). */
import { serveInWorker } from '../runtime/serve-in-worker';
import { openDeepStorm } from '../smlm/deep-storm/load-deep-storm';
import { ClassicalProcessor, DeepStormProcessor, type FrameBatchProcessor } from '../smlm/reconstruct/frame-processor';
import { ModelStore } from '../store/model-store';
import type { StormBatchReply, StormBatchRequest, StormWorkerInit, StormWorkerReady } from './storm-worker-messages';

async function open(init: StormWorkerInit): Promise<{ processor: FrameBatchProcessor; runtime: string }> {
  if (init.method === 'classical') return { processor: new ClassicalProcessor(8), runtime: 'none (classical localisation)' };
  const engine = await openDeepStorm(init.model, init.runtime, new ModelStore([...init.directories]));
  return { processor: new DeepStormProcessor(engine), runtime: engine.runtime.name };
}

serveInWorker<StormWorkerInit, StormWorkerReady, StormBatchRequest, StormBatchReply>(async (init) => {
  const { processor, runtime } = await open(init);
  return {
    ready: { method: processor.method, upsampling: processor.upsampling, preferredBatch: processor.preferredBatch, runtime },
    answer: async (request) => {
      const { superResolved, localisations } = await processor.process(request.frames, request.firstFrame, request.grid);
      return { body: { superResolved, localisations: [...localisations] }, transfer: [superResolved.buffer as ArrayBuffer] };
    },
    close: async () => undefined,
  };
});
