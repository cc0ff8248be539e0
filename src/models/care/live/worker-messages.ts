import type { TransferablePixels } from '../../runtime/frame-copy';
import type { RuntimeChoice } from '../../runtime/open-runtime';
import type { RestorationQuality, RestorerOptions } from '../care-restorer';

export interface WorkerInit {
  readonly model: string;
  readonly directories: readonly string[];
  readonly runtime: RuntimeChoice;
  readonly restorer: RestorerOptions;
}

export interface RestorerReady {
  readonly modelId: string;
  readonly runtimeName: string;
}

export interface RestoreRequest {
  readonly pixels: TransferablePixels;
  readonly widthPx: number;
  readonly heightPx: number;
}

export interface RestoreReply {
  readonly restored: Float32Array;
  readonly uncertainty: Float32Array;
  readonly quality: RestorationQuality;
}
