import type { TransferablePixels } from '../../runtime/frame-copy';
import type { RuntimeChoice } from '../../runtime/open-runtime';
import type { RestorationQuality, RestorerOptions } from '../care-restorer';

export interface WorkerInit {
  readonly model: string;
  readonly directories: readonly string[];
  readonly runtime: RuntimeChoice;
  readonly restorer: RestorerOptions;
}

export type WorkerRequest =
  | { readonly type: 'restore'; readonly id: number; readonly pixels: TransferablePixels; readonly widthPx: number; readonly heightPx: number }
  | { readonly type: 'close' };

export type WorkerReply =
  | { readonly type: 'ready'; readonly modelId: string; readonly runtimeName: string }
  | { readonly type: 'restored'; readonly id: number; readonly restored: Float32Array; readonly uncertainty: Float32Array; readonly quality: RestorationQuality }
  | { readonly type: 'failed'; readonly id: number; readonly name: string; readonly message: string };
