/** Worker-thread side of WorkerZooPredictor: opens one Zoo model and predicts the frames posted to it. */
import { parentPort, workerData } from 'node:worker_threads';
import { toFramePrediction } from './frame-predictor';
import { ZooModel } from './zoo-model';
import { describeZooTensor, outputChannelCount } from './zoo-shape';
import type { ZooWorkerInit, ZooWorkerReply, ZooWorkerRequest } from './zoo-worker-messages';

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('zoo-worker must run in a worker thread');
  const init = workerData as ZooWorkerInit;
  let model: ZooModel;
  try {
    model = await ZooModel.open(init.folder, init.options);
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'failed', id: -1, name: e.name, message: e.message } satisfies ZooWorkerReply);
    return;
  }
  const output = model.outputs[init.outputIndex];
  if (!output) {
    port.postMessage({ type: 'failed', id: -1, name: 'ZooPackageError', message: `Zoo package ${init.folder}: it has ${model.outputs.length} output(s); output ${init.outputIndex} was asked for` } satisfies ZooWorkerReply);
    await model.dispose();
    return;
  }
  port.postMessage({
    type: 'ready',
    modelId: model.name,
    runtimeName: model.runtimeName,
    input: describeZooTensor(model.input),
    outputChannels: outputChannelCount(output),
    ...(output.channelNames ? { channelNames: output.channelNames } : {}),
  } satisfies ZooWorkerReply);
  port.on('message', (request: ZooWorkerRequest) => {
    if (request.type === 'close') {
      void model.dispose().then(() => port.close());
      return;
    }
    model.predictImage(request.pixels, request.widthPx, request.heightPx).then(
      (p) => {
        const prediction = toFramePrediction(model, p, init.outputIndex);
        const reply: ZooWorkerReply = { type: 'predicted', id: request.id, prediction };
        port.postMessage(reply, prediction.channels.map((c) => c.buffer as ArrayBuffer));
      },
      (err: Error) => port.postMessage({ type: 'failed', id: request.id, name: err.name, message: err.message } satisfies ZooWorkerReply),
    );
  });
}

void serve();
