import type { CameraGrid } from '../smlm/localisation';
import type { BatchContribution, FrameBatchProcessor } from '../smlm/reconstruct/frame-processor';
import { WorkerHost } from '../runtime/worker-host';
import type { StormBatchReply, StormBatchRequest, StormWorkerInit, StormWorkerReady } from './storm-worker-messages';

/**
 * A STORM processor in a worker thread, so that network inference and fitting never hold up the thread that
 * receives camera frames and serves clients. Batches are answered in order, one at a time.
 */
export class WorkerStormProcessor implements FrameBatchProcessor {
  readonly method: StormWorkerReady['method'];
  readonly upsampling: number;
  readonly preferredBatch: number;
  readonly runtimeName: string;

  private constructor(private readonly host: WorkerHost<StormWorkerReady, StormBatchRequest, StormBatchReply>) {
    ({ method: this.method, upsampling: this.upsampling, preferredBatch: this.preferredBatch, runtime: this.runtimeName } = host.ready);
  }

  static async start(init: StormWorkerInit): Promise<WorkerStormProcessor> {
    const label = `STORM worker for ${init.method} "${init.model}"`;
    try {
      const host = await WorkerHost.start<StormWorkerReady, StormBatchRequest, StormBatchReply>({ directory: __dirname, entry: 'storm-worker', callerFile: __filename, workerData: init, label, startError: (err) => err });
      return new WorkerStormProcessor(host);
    } catch (err) {
      throw new Error(`${label} failed to start: ${(err as Error).message}`);
    }
  }

  process(frames: ReadonlyArray<ArrayLike<number>>, firstFrame: number, grid: CameraGrid): Promise<BatchContribution> {
    return this.host.request({ frames: [...frames], firstFrame, grid });
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
