import type { StreamPixels } from './stream-types';

/** One image (and its quality map) to turn into a preview, pixels copied for the worker. */
export interface PreviewRequest {
  readonly pixels: StreamPixels;
  readonly width: number;
  readonly height: number;
  readonly maxSizePx: number;
  readonly qualityMap?: { readonly pixels: StreamPixels; readonly width: number; readonly height: number };
}

/** What a client's message needs from the pixels: 8-bit preview, its stretch, histogram and overlay. */
export interface BuiltPreview {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly low: number;
  readonly high: number;
  readonly histogram: readonly number[];
  readonly overlay: Uint8Array | null;
}
