/** Worker-thread side of WorkerZooPredictor: opens one Zoo model and predicts the frames posted to it. */
import { serveInWorker } from '../runtime/serve-in-worker';
import { toFramePrediction, type FramePrediction } from './frame-predictor';
import { ZooPackageError } from './zoo-errors';
import { ZooModel } from './zoo-model';
import { describeZooTensor, outputChannelCount } from './zoo-shape';
import type { ZooPredictRequest, ZooWorkerInit, ZooWorkerReady } from './zoo-worker-messages';

serveInWorker<ZooWorkerInit, ZooWorkerReady, ZooPredictRequest, FramePrediction>(async (init) => {
  const model = await ZooModel.open(init.folder, init.options);
  const output = model.outputs[init.outputIndex];
  if (!output) {
    await model.dispose();
    throw new ZooPackageError(init.folder, `it has ${model.outputs.length} output(s); output ${init.outputIndex} was asked for`);
  }
  return {
    ready: {
      modelId: model.name,
      runtimeName: model.runtimeName,
      input: describeZooTensor(model.input),
      outputChannels: outputChannelCount(output),
      ...(output.channelNames ? { channelNames: output.channelNames } : {}),
    },
    answer: async (request) => {
      const prediction = toFramePrediction(model, await model.predictImage(request.pixels, request.widthPx, request.heightPx), init.outputIndex);
      return { body: prediction, transfer: prediction.channels.map((c) => c.buffer as ArrayBuffer) };
    },
    close: () => model.dispose(),
  };
});
