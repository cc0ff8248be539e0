/** A frame's pixels as they can be transferred to a worker thread: camera integers stay integers. */
export type TransferablePixels = Float32Array | Uint16Array | Uint8Array;

/**
 * A copy of a frame to transfer to a worker (the caller's frame, kept as raw, is never detached). Camera frames
 * are copied in their own type: half the bytes of float32 for 16-bit frames, no conversion on the thread that
 * runs the acquisition, and the worker's percentiles count the integers directly.
 */
export function transferableCopy(pixels: ArrayLike<number>): TransferablePixels {
  if (pixels instanceof Uint16Array || pixels instanceof Uint8Array || pixels instanceof Float32Array) return pixels.slice();
  return new Float32Array(pixels);
}
