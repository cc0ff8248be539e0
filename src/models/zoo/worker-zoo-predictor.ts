import { resolve } from 'node:path';
import { transferableCopy } from '../runtime/frame-copy';
import type { SerializedError } from '../runtime/worker-envelope';
import { namedError, WorkerHost } from '../runtime/worker-host';
import { ModelInputShapeError } from '../store/model-errors';
import type { FramePrediction, FramePredictor } from './frame-predictor';
import { ZooPackageError, ZooReproducibilityError } from './zoo-errors';
import type { ZooModelOptions } from './zoo-model';
import type { ZooPredictRequest, ZooWorkerInit, ZooWorkerReady } from './zoo-worker-messages';

/**
 * The worker's error as a class a caller can handle: shape errors as ModelInputShapeError, package errors as
 * ZooPackageError (ZooReproducibilityError kept; checksum and format errors keep their name).
 */
function rebuildError({ name, message }: SerializedError, folder: string): Error {
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
      return namedError({ name, message });
  }
}

/**
 * A Zoo model hosted in a worker thread: predict() posts a copy of the frame and resolves with the prediction, so
 * the thread that receives camera frames never waits on inference. Callers queue through a bounded branch.
 */
export class WorkerZooPredictor implements FramePredictor {
  private constructor(
    private readonly host: WorkerHost<ZooWorkerReady, ZooPredictRequest, FramePrediction>,
    readonly modelId = host.ready.modelId,
    readonly runtimeName = host.ready.runtimeName,
    /** The model's input axes and sizes, the chosen output's channel count and names (from the worker). */
    readonly shape: Pick<ZooWorkerReady, 'input' | 'outputChannels' | 'channelNames'> = host.ready,
  ) {}

  static async start(folder: string, options: ZooModelOptions = {}, outputIndex = 0): Promise<WorkerZooPredictor> {
    const dir = resolve(folder);
    const host = await WorkerHost.start<ZooWorkerReady, ZooPredictRequest, FramePrediction>({
      directory: __dirname,
      entry: 'zoo-worker',
      callerFile: __filename,
      workerData: { folder: dir, options, outputIndex } satisfies ZooWorkerInit,
      label: `Zoo worker for ${dir}`,
      rebuildError: (error) => rebuildError(error, dir),
      startError: (err) => new ZooPackageError(dir, `Zoo worker failed to start (${err.message})`),
    });
    return new WorkerZooPredictor(host);
  }

  predict(pixels: ArrayLike<number>, widthPx: number, heightPx: number): Promise<FramePrediction> {
    const copy = transferableCopy(pixels);
    return this.host.request({ pixels: copy, widthPx, heightPx }, [copy.buffer as ArrayBuffer]);
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
