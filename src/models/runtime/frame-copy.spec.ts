import { transferableCopy } from './frame-copy';

describe('a frame copied for a worker thread', () => {
  it('keeps camera integers in their own type, on a buffer of its own holding only the frame', () => {
    const buffer = Uint16Array.of(9, 1, 65535, 7, 9);
    const frame = buffer.subarray(1, 4);
    const copy = transferableCopy(frame);
    expect(copy).toBeInstanceOf(Uint16Array);
    expect(Array.from(copy)).toEqual([1, 65535, 7]);
    expect(copy.buffer).not.toBe(buffer.buffer);
    expect(copy.buffer.byteLength).toBe(6);
    expect(transferableCopy(Uint8Array.of(3))).toBeInstanceOf(Uint8Array);
  });

  it('turns anything else into float32', () => {
    const copy = transferableCopy([1.5, 2]);
    expect(copy).toBeInstanceOf(Float32Array);
    expect(Array.from(copy)).toEqual([1.5, 2]);
    expect(transferableCopy(Float64Array.of(0.25))).toBeInstanceOf(Float32Array);
  });
});
