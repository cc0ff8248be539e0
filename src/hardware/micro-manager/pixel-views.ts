/**
 * Typed views over the bytes of a received array. ZeroMQ hands large messages to Node without copying, so a view
 * keeps the frame where it landed; only a buffer whose offset does not suit the element size is copied.
 */

export type ArrayReplyType = 'byte-array' | 'short-array' | 'int-array' | 'float-array' | 'double-array';
export const ARRAY_REPLY_TYPES: readonly ArrayReplyType[] = ['byte-array', 'short-array', 'int-array', 'float-array', 'double-array'];

/** Java arrays are signed, but pixels are unsigned in practice (8/16-bit grey, 32-bit RGB), as pyjavaz reads them. */
export type PixelView = Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

/** How often a received array was viewed in place and how often it had to be copied for alignment. */
export const alignmentStats = { views: 0, copies: 0, bytesCopied: 0 };

export class ArrayLengthError extends Error {
  override readonly name = 'ArrayLengthError';
}

type ViewMaker = (buffer: ArrayBufferLike, byteOffset: number, length: number) => PixelView;

const MAKERS: Record<ArrayReplyType, { readonly bytesPerElement: number; readonly make: ViewMaker }> = {
  'byte-array': { bytesPerElement: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  'short-array': { bytesPerElement: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  'int-array': { bytesPerElement: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
  'float-array': { bytesPerElement: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  'double-array': { bytesPerElement: 8, make: (b, o, n) => new Float64Array(b, o, n) },
};

export function bytesPerElement(type: ArrayReplyType): number {
  return MAKERS[type].bytesPerElement;
}

/** The array's elements as a typed array sharing memory with `bytes` whenever its offset allows. */
export function viewArray(type: ArrayReplyType, bytes: Uint8Array): PixelView {
  const { bytesPerElement: size, make } = MAKERS[type];
  if (bytes.byteLength % size !== 0) {
    throw new ArrayLengthError(`a ${type} of ${bytes.byteLength} bytes is not a whole number of ${size}-byte elements`);
  }
  const length = bytes.byteLength / size;
  if (bytes.byteOffset % size === 0) {
    alignmentStats.views++;
    return make(bytes.buffer, bytes.byteOffset, length);
  }
  alignmentStats.copies++;
  alignmentStats.bytesCopied += bytes.byteLength;
  const aligned = new Uint8Array(bytes);
  return make(aligned.buffer, 0, length);
}
