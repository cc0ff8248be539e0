import type { Frame } from '../../acquisition/frame';
import type { PixelArray } from '../../hardware/devices';

/** The centred square of side `sizePx` (or the whole frame when smaller), with the frame's metadata resized. */
export function cropCentre(frame: Frame, sizePx: number): Frame {
  const { width, height } = frame.meta;
  const w = Math.min(sizePx, width);
  const h = Math.min(sizePx, height);
  if (w === width && h === height) return frame;
  const x0 = Math.floor((width - w) / 2);
  const y0 = Math.floor((height - h) / 2);
  const Type = frame.pixels.constructor as { new (length: number): PixelArray };
  const pixels = new Type(w * h);
  for (let y = 0; y < h; y++) pixels.set(frame.pixels.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + w), y * w);
  return { pixels, meta: { ...frame.meta, width: w, height: h, tags: { ...(frame.meta.tags ?? {}), cropOriginPx: [x0, y0] } } };
}
