import type { TransferablePixels } from '../runtime/frame-copy';
import type { ZooModelOptions } from './zoo-model';
import type { FramePrediction } from './frame-predictor';

export interface ZooWorkerInit {
  readonly folder: string;
  readonly options: ZooModelOptions;
  readonly outputIndex: number;
}

export type ZooWorkerRequest =
  | { readonly type: 'predict'; readonly id: number; readonly pixels: TransferablePixels; readonly widthPx: number; readonly heightPx: number }
  | { readonly type: 'close' };

export type ZooWorkerReply =
  | {
      readonly type: 'ready';
      readonly modelId: string;
      readonly runtimeName: string;
      /** The input tensor's axes and sizes (describeZooTensor). */
      readonly input: string;
      /** Channels of the chosen output, null when the package lets them vary. */
      readonly outputChannels: number | null;
      readonly channelNames?: readonly string[];
    }
  | { readonly type: 'predicted'; readonly id: number; readonly prediction: FramePrediction }
  | { readonly type: 'failed'; readonly id: number; readonly name: string; readonly message: string };
