import { decodeChunk, encodeChunk, type ChunkHeader } from './chunk-file';

const header: ChunkHeader = { jobId: 'j', index: 2, first: 8, count: 4, images: 2, widthPx: 3, heightPx: 2, pixelSizeNm: 12.5 };
const pixels = Float32Array.from({ length: 12 }, (_, i) => (i - 5) / 7);

describe('chunk files', () => {
  it('round-trips header and float32 pixels exactly, and the same chunk encodes to the same bytes', () => {
    const bytes = encodeChunk(header, pixels);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(encodeChunk(header, Float32Array.from(pixels))))).toBe(0);
    const decoded = decodeChunk(bytes, 'c');
    expect(decoded.header).toEqual(header);
    expect(decoded.pixels).toEqual(pixels);
  });

  it('names a torn file and a file that is no chunk', () => {
    const bytes = encodeChunk(header, pixels);
    expect(() => decodeChunk(bytes.subarray(0, bytes.length - 4), 'jobs/j/chunks/00002.chunk')).toThrow(
      /jobs\/j\/chunks\/00002.chunk: 44 pixel bytes, 48 expected/,
    );
    expect(() => decodeChunk(Buffer.from('hello world, not a chunk'), 'x.chunk')).toThrow(/x.chunk: not a chunk result/);
  });

  it('refuses to encode pixels that do not fill the images the header states', () => {
    expect(() => encodeChunk(header, pixels.subarray(0, 6))).toThrow(/chunk 2: 6 pixels for 2 image\(s\) of 3×2/);
  });
});
