/** One sample of a 2-D image tensor, channel-first: data[(c · heightPx + y) · widthPx + x]. Batch is always 1. */
export interface Planes {
  readonly channels: number;
  readonly heightPx: number;
  readonly widthPx: number;
  readonly data: Float32Array;
}

export function planes(channels: number, heightPx: number, widthPx: number, data: Float32Array = new Float32Array(channels * heightPx * widthPx)): Planes {
  if (data.length !== channels * heightPx * widthPx) throw new RangeError(`planes: ${data.length} values for ${channels}×${heightPx}×${widthPx}`);
  return { channels, heightPx, widthPx, data };
}

/** One channel's pixels (a view, no copy). */
export function channelOf(p: Planes, c: number): Float32Array {
  const n = p.heightPx * p.widthPx;
  return p.data.subarray(c * n, (c + 1) * n);
}
