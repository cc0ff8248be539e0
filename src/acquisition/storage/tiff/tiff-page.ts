import type { PixelArray } from '../../../hardware/devices';
import { bytesPerSample, type SampleType } from '../dataset-layout';
import { TiffFormatError, UnsupportedTiffError } from '../storage-errors';
import { CodecError, decodeDeflate, decodeLzw, decodePackBits } from './tiff-codecs';
import { COMPRESSION, TAG } from './tiff-constants';
import type { RawIfd, TiffSource } from './tiff-structure';

/** What is needed to decode one page (IFD) into a plane. */
export interface TiffPage {
  readonly ifd: RawIfd;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly sampleType: SampleType;
  readonly compression: number;
  readonly predictor: number;
  /** Strips or tiles, in row-major order. */
  readonly chunks: { readonly offsets: readonly number[]; readonly byteCounts: readonly number[] };
  /** Chunk size in pixels: a strip is widthPx × rowsPerStrip, a tile tileWidth × tileLength. */
  readonly chunkWidthPx: number;
  readonly chunkHeightPx: number;
  readonly tiled: boolean;
  /** NewSubfileType bit 0: a reduced-resolution copy (thumbnail, pyramid level), not a plane of the stack. */
  readonly reducedResolution: boolean;
}

const SUPPORTED_COMPRESSION = new Set<number>(Object.values(COMPRESSION));

export async function readTiffPage(source: TiffSource, ifd: RawIfd, pageIndex: number): Promise<TiffPage> {
  const where = `${source.path} page ${pageIndex}`;
  const required = async (tag: number, name: string): Promise<number> => {
    const value = await source.firstNumber(ifd, tag);
    if (value === undefined) throw new TiffFormatError(`${where}: required tag ${name} (${tag}) is missing`);
    return value;
  };
  const widthPx = await required(TAG.imageWidth, 'ImageWidth');
  const heightPx = await required(TAG.imageLength, 'ImageLength');
  const samplesPerPixel = (await source.firstNumber(ifd, TAG.samplesPerPixel)) ?? 1;
  if (samplesPerPixel !== 1)
    throw new UnsupportedTiffError(`${where}: ${samplesPerPixel} samples per pixel (RGB or multi-sample); only greyscale planes are read`);
  const bits = (await source.firstNumber(ifd, TAG.bitsPerSample)) ?? 1;
  const format = (await source.firstNumber(ifd, TAG.sampleFormat)) ?? 1;
  const sampleType: SampleType | undefined =
    format === 1 && bits === 8 ? 'uint8' : format === 1 && bits === 16 ? 'uint16' : format === 3 && bits === 32 ? 'float32' : undefined;
  if (!sampleType)
    throw new UnsupportedTiffError(
      `${where}: ${bits}-bit ${['', 'unsigned', 'signed', 'float'][format] ?? `format ${format}`} samples; uint8, uint16 and float32 are read`,
    );
  const compression = (await source.firstNumber(ifd, TAG.compression)) ?? 1;
  if (!SUPPORTED_COMPRESSION.has(compression))
    throw new UnsupportedTiffError(`${where}: compression ${compression}; none, LZW, deflate and PackBits are read`);
  const predictor = (await source.firstNumber(ifd, TAG.predictor)) ?? 1;
  if (predictor !== 1 && !(predictor === 2 && sampleType !== 'float32')) {
    throw new UnsupportedTiffError(`${where}: predictor ${predictor} with ${sampleType} samples is not read`);
  }
  const tiled = ifd.entries.has(TAG.tileOffsets);
  const offsets = await source.numbers(ifd, tiled ? TAG.tileOffsets : TAG.stripOffsets);
  const byteCounts = await source.numbers(ifd, tiled ? TAG.tileByteCounts : TAG.stripByteCounts);
  if (!offsets || !byteCounts || offsets.length !== byteCounts.length)
    throw new TiffFormatError(`${where}: strip/tile offsets and byte counts are missing or disagree`);
  const chunkWidthPx = tiled ? await required(TAG.tileWidth, 'TileWidth') : widthPx;
  const chunkHeightPx = tiled
    ? await required(TAG.tileLength, 'TileLength')
    : Math.min((await source.firstNumber(ifd, TAG.rowsPerStrip)) ?? heightPx, heightPx);
  const expected = Math.ceil(heightPx / chunkHeightPx) * (tiled ? Math.ceil(widthPx / chunkWidthPx) : 1);
  if (offsets.length < expected) throw new TiffFormatError(`${where}: ${offsets.length} strips/tiles for ${expected} needed`);
  const subfileType = (await source.firstNumber(ifd, TAG.newSubfileType)) ?? 0;
  return {
    ifd,
    widthPx,
    heightPx,
    sampleType,
    compression,
    predictor,
    tiled,
    chunkWidthPx,
    chunkHeightPx,
    chunks: { offsets, byteCounts },
    reducedResolution: (subfileType & 1) === 1,
  };
}

export function newPlane(sampleType: SampleType, pixels: number): PixelArray {
  return sampleType === 'uint8' ? new Uint8Array(pixels) : sampleType === 'uint16' ? new Uint16Array(pixels) : new Float32Array(pixels);
}

/** Decodes a page into a new typed array (host byte order); uncompressed contiguous data is read straight into it. */
export async function readPagePixels(source: TiffSource, page: TiffPage, pageIndex: number): Promise<PixelArray> {
  const where = `${source.path} page ${pageIndex}`;
  const sampleBytes = bytesPerSample(page.sampleType);
  const plane = newPlane(page.sampleType, page.widthPx * page.heightPx);
  const planeBytes = new Uint8Array(plane.buffer);
  const { offsets, byteCounts } = page.chunks;
  const hostOrder = source.littleEndian || sampleBytes === 1;
  if (page.compression === COMPRESSION.none && !page.tiled && isContiguous(offsets, byteCounts, planeBytes.byteLength)) {
    await source.readBytes(offsets[0], planeBytes.byteLength, planeBytes);
    if (!hostOrder) swapBytes(planeBytes, sampleBytes);
    return plane;
  }
  const across = page.tiled ? Math.ceil(page.widthPx / page.chunkWidthPx) : 1;
  const chunkBytes = page.chunkWidthPx * page.chunkHeightPx * sampleBytes;
  const count = Math.ceil(page.heightPx / page.chunkHeightPx) * across;
  for (let i = 0; i < count; i++) {
    const x0 = (i % across) * page.chunkWidthPx;
    const y0 = Math.floor(i / across) * page.chunkHeightPx;
    const rows = Math.min(page.chunkHeightPx, page.heightPx - y0);
    // the last strip may be short; tiles are always full size, padded at the edges
    const expectedBytes = page.tiled ? chunkBytes : rows * page.chunkWidthPx * sampleBytes;
    const stored = await source.readBytes(offsets[i], byteCounts[i]);
    let decoded: Uint8Array;
    try {
      decoded = decompress(page.compression, stored, expectedBytes);
    } catch (error) {
      if (error instanceof CodecError) throw new TiffFormatError(`${where} chunk ${i}: ${error.message}`);
      throw error;
    }
    if (decoded.byteLength < expectedBytes)
      throw new TiffFormatError(`${where} chunk ${i}: ${decoded.byteLength} bytes decoded, ${expectedBytes} expected`);
    const chunk = new Uint8Array(decoded.buffer.slice(decoded.byteOffset, decoded.byteOffset + expectedBytes));
    if (!hostOrder) swapBytes(chunk, sampleBytes);
    if (page.predictor === 2) undoHorizontalDifferencing(chunk, sampleBytes, page.chunkWidthPx);
    const copyWidth = Math.min(page.chunkWidthPx, page.widthPx - x0) * sampleBytes;
    for (let row = 0; row < rows; row++) {
      const from = row * page.chunkWidthPx * sampleBytes;
      planeBytes.set(chunk.subarray(from, from + copyWidth), ((y0 + row) * page.widthPx + x0) * sampleBytes);
    }
  }
  return plane;
}

function isContiguous(offsets: readonly number[], byteCounts: readonly number[], planeBytes: number): boolean {
  let total = byteCounts[0];
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i] !== offsets[i - 1] + byteCounts[i - 1]) return false;
    total += byteCounts[i];
  }
  return total >= planeBytes;
}

function decompress(compression: number, stored: Uint8Array, expectedBytes: number): Uint8Array {
  switch (compression) {
    case COMPRESSION.none:
      return stored;
    case COMPRESSION.lzw:
      return decodeLzw(stored, expectedBytes);
    case COMPRESSION.adobeDeflate:
    case COMPRESSION.deflate:
      return decodeDeflate(stored);
    case COMPRESSION.packBits:
      return decodePackBits(stored, expectedBytes);
    default:
      throw new CodecError(`compression ${compression} is not decoded`);
  }
}

function swapBytes(bytes: Uint8Array, sampleBytes: number): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength - (bytes.byteLength % sampleBytes));
  if (sampleBytes === 2) buffer.swap16();
  else if (sampleBytes === 4) buffer.swap32();
}

/** TIFF predictor 2: each sample was stored as the difference to its left neighbour within the row. */
function undoHorizontalDifferencing(chunk: Uint8Array, sampleBytes: number, widthPx: number): void {
  const samples = sampleBytes === 2 ? new Uint16Array(chunk.buffer, chunk.byteOffset, chunk.byteLength / 2) : chunk;
  for (let rowStart = 0; rowStart + widthPx <= samples.length; rowStart += widthPx) {
    for (let x = 1; x < widthPx; x++) samples[rowStart + x] = samples[rowStart + x] + samples[rowStart + x - 1];
  }
}
