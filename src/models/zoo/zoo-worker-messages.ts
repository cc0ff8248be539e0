import type { TransferablePixels } from '../runtime/frame-copy';
import type { ZooModelOptions } from './zoo-model';

export interface ZooWorkerInit {
  readonly folder: string;
  readonly options: ZooModelOptions;
  readonly outputIndex: number;
}

export interface ZooWorkerReady {
  readonly modelId: string;
  readonly runtimeName: string;
  /** The input tensor's axes and sizes (describeZooTensor). */
  readonly input: string;
  /** Channels of the chosen output, null when the package lets them vary. */
  readonly outputChannels: number | null;
  readonly channelNames?: readonly string[];
}

export interface ZooPredictRequest {
  readonly pixels: TransferablePixels;
  readonly widthPx: number;
  readonly heightPx: number;
}
