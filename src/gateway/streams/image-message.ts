import { PreviewBuilder } from './preview-builder';
import type { BuiltPreview } from './preview-messages';
import type { ImageStreamKind, QualityFigure, StreamImage } from './stream-types';

/** What a client receives per image: 8-bit binary pixels, never JSON arrays. */
export interface ImageMessage {
  readonly stream: string;
  readonly kind: ImageStreamKind;
  readonly acquisitionId: string;
  /** Sequence of the source frame (the raw frame the image is, or derives from). */
  readonly sequence: number;
  readonly width: number;
  readonly height: number;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** Source values mapped to 0 and 255. */
  readonly low: number;
  readonly high: number;
  readonly exposureMs: number | null;
  /** Sample size of one source pixel (µm); null when unknown. */
  readonly pixelSizeUm: number | null;
  readonly wallTimeMs: number;
  readonly quality: QualityFigure | null;
  /** The model that made a derived image; null for raw frames. */
  readonly modelId: string | null;
  /** Counts of the 8-bit pixels in 64 equal bins, for the contrast control. */
  readonly histogram: readonly number[];
  readonly pixels: Buffer;
  /** The quality map at the same preview size, 8-bit, when the stream has one. */
  readonly overlay: Buffer | null;
}

const asBuffer = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

export function toImageMessage(stream: string, kind: ImageStreamKind, image: StreamImage, preview: BuiltPreview): ImageMessage {
  return {
    stream,
    kind,
    acquisitionId: image.acquisitionId ?? '',
    sequence: image.sourceSequence,
    width: preview.width,
    height: preview.height,
    sourceWidth: image.width,
    sourceHeight: image.height,
    low: preview.low,
    high: preview.high,
    exposureMs: image.exposureMs ?? null,
    pixelSizeUm: image.pixelSizeUm && image.pixelSizeUm > 0 ? image.pixelSizeUm : null,
    wallTimeMs: image.wallTimeMs ?? Date.now(),
    quality: image.quality ?? null,
    modelId: image.modelId ?? null,
    histogram: preview.histogram,
    pixels: asBuffer(preview.data),
    overlay: preview.overlay ? asBuffer(preview.overlay) : null,
  };
}

/**
 * One conversion per image and preview size, however many clients get it; made only when a client is actually
 * sent the image, so images every client skips cost nothing. The previews are built off this thread.
 */
export class ImageMessageCache {
  private readonly cache = new WeakMap<StreamImage, Map<number, Promise<ImageMessage>>>();

  constructor(private readonly previews: PreviewBuilder = new PreviewBuilder()) {}

  get(stream: string, kind: ImageStreamKind, image: StreamImage, maxSizePx: number): Promise<ImageMessage> {
    let bySize = this.cache.get(image);
    if (!bySize) {
      bySize = new Map();
      this.cache.set(image, bySize);
    }
    let message = bySize.get(maxSizePx);
    if (!message) {
      message = this.previews.build(image, maxSizePx).then((preview) => toImageMessage(stream, kind, image, preview));
      bySize.set(maxSizePx, message);
    }
    return message;
  }

  /** Why previews are built on this thread after all (the worker did not start or died), if they are. */
  get fallbackReason(): string | undefined {
    return this.previews.fallbackReason;
  }

  close(): Promise<void> {
    return this.previews.close();
  }
}
