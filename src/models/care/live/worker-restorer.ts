import { transferableCopy } from '../../runtime/frame-copy';
import type { RuntimeChoice } from '../../runtime/open-runtime';
import type { SerializedError } from '../../runtime/worker-envelope';
import { namedError, WorkerHost } from '../../runtime/worker-host';
import { ModelFolderError, ModelInputShapeError, ModelNotFoundError } from '../../store/model-errors';
import { SHIPPED_MODELS_DIR } from '../../store/model-store';
import { DEFAULT_CARE_MODEL } from '../care-model';
import type { Restoration, RestorerOptions } from '../care-restorer';
import type { FrameRestorer } from './frame-restorer';
import type { RestoreReply, RestoreRequest, RestorerReady, WorkerInit } from './worker-messages';

export interface WorkerRestorerOptions extends RestorerOptions {
  readonly directories?: readonly string[];
  readonly runtime?: RuntimeChoice;
}

/** The worker's error as the class a caller can handle (the message already says where). */
function rebuildError(error: SerializedError): Error {
  if (error.name === 'ModelNotFoundError') return new ModelNotFoundError(error.message);
  if (error.name === 'ModelInputShapeError') return new ModelInputShapeError(error.message);
  return namedError(error);
}

/**
 * A CARE model hosted in a worker thread: restore() posts the frame and resolves with the restoration, so the
 * calling thread (camera, sockets, HTTP) never waits on inference. Callers queue through a BoundedBranch.
 */
export class WorkerCareRestorer implements FrameRestorer {
  private constructor(
    private readonly host: WorkerHost<RestorerReady, RestoreRequest, RestoreReply>,
    readonly modelId = host.ready.modelId,
    readonly runtimeName = host.ready.runtimeName,
  ) {}

  static async start(model: string = DEFAULT_CARE_MODEL, options: WorkerRestorerOptions = {}): Promise<WorkerCareRestorer> {
    const { directories, runtime, ...restorer } = options;
    const workerData: WorkerInit = { model, directories: directories ?? [SHIPPED_MODELS_DIR], runtime: runtime ?? 'auto', restorer };
    const host = await WorkerHost.start<RestorerReady, RestoreRequest, RestoreReply>({
      directory: __dirname,
      entry: 'restorer-worker',
      callerFile: __filename,
      workerData,
      label: `CARE worker for "${model}"`,
      rebuildError,
      startError: (err) => new ModelFolderError(model, `CARE worker failed to start (${err.message})`),
    });
    return new WorkerCareRestorer(host);
  }

  async restore(pixels: ArrayLike<number>, widthPx: number, heightPx: number): Promise<Restoration> {
    const copy = transferableCopy(pixels);
    const reply = await this.host.request({ pixels: copy, widthPx, heightPx }, [copy.buffer as ArrayBuffer]);
    return { widthPx, heightPx, ...reply };
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
