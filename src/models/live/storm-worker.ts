/** Worker thread hosting a STORM processor (src/models/live/worker-storm-processor.ts posts batches to it). */
import { parentPort, workerData } from 'node:worker_threads';
import { openDeepStorm } from '../smlm/deep-storm/load-deep-storm';
import { ClassicalProcessor, DeepStormProcessor, type FrameBatchProcessor } from '../smlm/reconstruct/frame-processor';
import { ModelStore } from '../store/model-store';
import type { StormWorkerInit, StormWorkerReply, StormWorkerRequest } from './storm-worker-messages';

const init = workerData as StormWorkerInit;
const port = parentPort!;

async function open(): Promise<{ processor: FrameBatchProcessor; runtime: string }> {
  if (init.method === 'classical') return { processor: new ClassicalProcessor(8), runtime: 'none (classical localisation)' };
  const engine = await openDeepStorm(init.model, init.runtime, new ModelStore([...init.directories]));
  return { processor: new DeepStormProcessor(engine), runtime: engine.runtime.name };
}

open().then(
  ({ processor, runtime }) => {
    const reply = (message: StormWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
    reply({ type: 'ready', method: processor.method, upsampling: processor.upsampling, preferredBatch: processor.preferredBatch, runtime });
    port.on('message', (request: StormWorkerRequest) => {
      processor.process(request.frames, request.firstFrame, request.grid).then(
        (result) => reply({ type: 'done', id: request.id, superResolved: result.superResolved, localisations: [...result.localisations] }, [result.superResolved.buffer as ArrayBuffer]),
        (err: Error) => reply({ type: 'failed', id: request.id, message: err.message }),
      );
    });
  },
  (err: Error) => port.postMessage({ type: 'failed', id: -1, message: err.message } satisfies StormWorkerReply),
);
