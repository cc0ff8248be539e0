import type { PixelView } from './pixel-views';

export interface ImageGeometry {
  readonly width: number;
  readonly height: number;
  readonly bytesPerPixel: number;
  readonly bitDepth: number;
}

export type CorePixels = Uint8Array | Uint16Array | Float32Array;

/** Properties whose change can alter the camera's image size or pixel type (besides anything on the camera itself). */
const GEOMETRY_PROPERTY = /binning|pixel ?type|roi|bit ?depth|ccd.?size|transpose|mode|camera/i;

export function mayChangeGeometry(deviceLabel: string, propertyName: string, cameraLabel: string | undefined): boolean {
  return deviceLabel === 'Core' || deviceLabel === cameraLabel || GEOMETRY_PROPERTY.test(propertyName);
}

/**
 * Elements the array must hold for this geometry: one per pixel, except RGB, which MMCore sends as 4 bytes
 * (32-bit, BGRA) or 4 shorts (64-bit) per pixel.
 */
export function expectedElements(geometry: ImageGeometry, pixels: PixelView): number {
  const pixelsCount = geometry.width * geometry.height;
  const rgb =
    (pixels instanceof Uint8Array && geometry.bytesPerPixel === 4) || (pixels instanceof Uint16Array && geometry.bytesPerPixel === 8);
  return rgb ? pixelsCount * 4 : pixelsCount;
}

export function isCorePixels(pixels: PixelView): pixels is CorePixels {
  return pixels instanceof Uint8Array || pixels instanceof Uint16Array || pixels instanceof Float32Array;
}

/** MMCore's TaggedImage tags carry the frame's own size; use them when present. */
export function geometryFromTags(tags: Readonly<Record<string, unknown>>, pixels: PixelView): ImageGeometry | undefined {
  const width = Number(tags.Width);
  const height = Number(tags.Height);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return undefined;
  const pixelType = String(tags.PixelType ?? '');
  const bytesPerPixel = pixelType === 'RGB32' ? 4 : pixelType === 'RGB64' ? 8 : pixels.BYTES_PER_ELEMENT;
  const bitDepth = Number(tags.BitDepth);
  return { width, height, bytesPerPixel, bitDepth: Number.isInteger(bitDepth) && bitDepth > 0 ? bitDepth : bytesPerPixel * 8 };
}
