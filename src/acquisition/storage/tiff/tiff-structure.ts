import { open, type FileHandle } from 'node:fs/promises';
import { TiffFormatError } from '../storage-errors';
import { TYPE, TYPE_SIZE } from './tiff-constants';

/** One IFD entry as found in the file: where its values are, not yet read. */
export interface RawEntry {
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  /** Absolute offset of the entry's count field (patched in place by recovery). */
  readonly entryCountOffset: number;
  /** The 4 or 8 value bytes of the entry, holding the values themselves when they fit. */
  readonly inlineBytes: Buffer;
  readonly valueOffset: number | undefined;
}

export interface RawIfd {
  readonly offset: number;
  readonly entries: ReadonlyMap<number, RawEntry>;
  readonly nextIfdOffset: number;
  readonly nextPointerOffset: number;
  /** First byte after the entry table and next pointer. */
  readonly tableEnd: number;
}

export interface IfdChain {
  readonly ifds: RawIfd[];
  /** Set when the chain points somewhere invalid (a torn write): the offset of the pointer that does. */
  readonly broken?: { readonly pointerOffset: number; readonly reason: string };
}

/** A TIFF or BigTIFF file opened for structural reading: header, IFDs, tag values. */
export class TiffSource {
  private constructor(
    readonly path: string,
    readonly handle: FileHandle,
    readonly littleEndian: boolean,
    readonly bigTiff: boolean,
    readonly firstIfdOffset: number,
    readonly fileSize: number,
  ) {}

  static async open(path: string, flags: 'r' | 'r+' = 'r'): Promise<TiffSource> {
    const handle = await open(path, flags);
    try {
      const fileSize = (await handle.stat()).size;
      const header = Buffer.alloc(16);
      const { bytesRead } = await handle.read(header, 0, 16, 0);
      const order = header.toString('latin1', 0, 2);
      if (bytesRead < 8 || (order !== 'II' && order !== 'MM'))
        throw new TiffFormatError(`${path}: not a TIFF file (no II/MM byte-order mark)`);
      const littleEndian = order === 'II';
      const magic = littleEndian ? header.readUInt16LE(2) : header.readUInt16BE(2);
      if (magic !== 42 && magic !== 43) throw new TiffFormatError(`${path}: not a TIFF file (version ${magic})`);
      const bigTiff = magic === 43;
      if (bigTiff && bytesRead < 16) throw new TiffFormatError(`${path}: BigTIFF header is cut short`);
      const first = bigTiff ? readU64(header, 8, littleEndian) : littleEndian ? header.readUInt32LE(4) : header.readUInt32BE(4);
      return new TiffSource(path, handle, littleEndian, bigTiff, first, fileSize);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get headerPointerOffset(): number {
    return this.bigTiff ? 8 : 4;
  }

  async readBytes(offset: number, length: number, into?: Uint8Array): Promise<Buffer> {
    if (offset < 0 || offset + length > this.fileSize) {
      throw new TiffFormatError(`${this.path}: ${length} bytes at offset ${offset} lie outside the file (${this.fileSize} bytes)`);
    }
    const target = into ? Buffer.from(into.buffer, into.byteOffset, into.byteLength) : Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(target, done, length - done, offset + done);
      if (bytesRead === 0) throw new TiffFormatError(`${this.path}: file ended while reading offset ${offset + done}`);
      done += bytesRead;
    }
    return target;
  }

  async readIfd(offset: number): Promise<RawIfd> {
    const le = this.littleEndian;
    const countBytes = this.bigTiff ? 8 : 2;
    const entryBytes = this.bigTiff ? 20 : 12;
    const valueBytes = this.bigTiff ? 8 : 4;
    if (offset % 2 !== 0 && !this.bigTiff) throw new TiffFormatError(`${this.path}: IFD at odd offset ${offset}`);
    const countBuffer = await this.readBytes(offset, countBytes);
    const count = this.bigTiff ? readU64(countBuffer, 0, le) : le ? countBuffer.readUInt16LE(0) : countBuffer.readUInt16BE(0);
    if (count === 0 || count > 4096) throw new TiffFormatError(`${this.path}: IFD at ${offset} claims ${count} entries`);
    const tableLength = count * entryBytes + valueBytes;
    const table = await this.readBytes(offset + countBytes, tableLength);
    const entries = new Map<number, RawEntry>();
    for (let i = 0; i < count; i++) {
      const at = i * entryBytes;
      const tag = le ? table.readUInt16LE(at) : table.readUInt16BE(at);
      const type = le ? table.readUInt16LE(at + 2) : table.readUInt16BE(at + 2);
      const valueCount = this.bigTiff ? readU64(table, at + 4, le) : le ? table.readUInt32LE(at + 4) : table.readUInt32BE(at + 4);
      const inlineBytes = table.subarray(at + 4 + (this.bigTiff ? 8 : 4), at + entryBytes);
      const size = (TYPE_SIZE[type] ?? 1) * valueCount;
      const valueOffset =
        size <= valueBytes
          ? undefined
          : this.bigTiff
            ? readU64(inlineBytes, 0, le)
            : le
              ? inlineBytes.readUInt32LE(0)
              : inlineBytes.readUInt32BE(0);
      entries.set(tag, { tag, type, count: valueCount, entryCountOffset: offset + countBytes + at + 4, inlineBytes, valueOffset });
    }
    const nextAt = count * entryBytes;
    const nextIfdOffset = this.bigTiff ? readU64(table, nextAt, le) : le ? table.readUInt32LE(nextAt) : table.readUInt32BE(nextAt);
    const nextPointerOffset = offset + countBytes + nextAt;
    return { offset, entries, nextIfdOffset, nextPointerOffset, tableEnd: nextPointerOffset + valueBytes };
  }

  /** Follows the IFD chain; a pointer to an invalid IFD ends it and is reported, so recovery can cut it there. */
  async walkIfds(): Promise<IfdChain> {
    const ifds: RawIfd[] = [];
    const seen = new Set<number>();
    let pointerOffset = this.headerPointerOffset;
    let offset = this.firstIfdOffset;
    while (offset !== 0) {
      if (seen.has(offset)) return { ifds, broken: { pointerOffset, reason: `IFD chain loops back to offset ${offset}` } };
      seen.add(offset);
      try {
        const ifd = await this.readIfd(offset);
        ifds.push(ifd);
        pointerOffset = ifd.nextPointerOffset;
        offset = ifd.nextIfdOffset;
      } catch (error) {
        if (!(error instanceof TiffFormatError)) throw error;
        return { ifds, broken: { pointerOffset, reason: error.message } };
      }
    }
    return { ifds };
  }

  /** Numeric values of an entry (rationals as quotients); undefined when the tag is absent. */
  async numbers(ifd: RawIfd, tag: number): Promise<number[] | undefined> {
    const entry = ifd.entries.get(tag);
    if (!entry) return undefined;
    const bytes = await this.valueBytes(entry);
    const le = this.littleEndian;
    const out: number[] = [];
    const size = TYPE_SIZE[entry.type] ?? 1;
    for (let i = 0; i < entry.count; i++) {
      const at = i * size;
      switch (entry.type) {
        case TYPE.byte:
        case TYPE.undefined:
          out.push(bytes[at]);
          break;
        case TYPE.sbyte:
          out.push(bytes.readInt8(at));
          break;
        case TYPE.short:
          out.push(le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
          break;
        case TYPE.sshort:
          out.push(le ? bytes.readInt16LE(at) : bytes.readInt16BE(at));
          break;
        case TYPE.long:
        case TYPE.ifd:
          out.push(le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
          break;
        case TYPE.slong:
          out.push(le ? bytes.readInt32LE(at) : bytes.readInt32BE(at));
          break;
        case TYPE.rational:
        case TYPE.srational: {
          const signed = entry.type === TYPE.srational;
          const read = (o: number) =>
            signed ? (le ? bytes.readInt32LE(o) : bytes.readInt32BE(o)) : le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o);
          out.push(read(at) / read(at + 4));
          break;
        }
        case TYPE.float:
          out.push(le ? bytes.readFloatLE(at) : bytes.readFloatBE(at));
          break;
        case TYPE.double:
          out.push(le ? bytes.readDoubleLE(at) : bytes.readDoubleBE(at));
          break;
        case TYPE.long8:
        case TYPE.ifd8:
        case TYPE.slong8:
          out.push(readU64(bytes, at, le));
          break;
        default:
          throw new TiffFormatError(`${this.path}: tag ${tag} has unknown field type ${entry.type}`);
      }
    }
    return out;
  }

  async firstNumber(ifd: RawIfd, tag: number, fallback?: number): Promise<number | undefined> {
    return (await this.numbers(ifd, tag))?.[0] ?? fallback;
  }

  /** An ASCII value up to its first NUL (as tifffile reads ImageDescription); undefined when absent. */
  async ascii(ifd: RawIfd, tag: number): Promise<string | undefined> {
    const entry = ifd.entries.get(tag);
    if (!entry) return undefined;
    const bytes = await this.valueBytes(entry);
    const nul = bytes.indexOf(0);
    return bytes.toString('utf8', 0, nul < 0 ? bytes.length : nul);
  }

  private async valueBytes(entry: RawEntry): Promise<Buffer> {
    const size = (TYPE_SIZE[entry.type] ?? 1) * entry.count;
    return entry.valueOffset === undefined ? entry.inlineBytes.subarray(0, size) : this.readBytes(entry.valueOffset, size);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

function readU64(buffer: Buffer, at: number, littleEndian: boolean): number {
  const value = littleEndian ? buffer.readBigUInt64LE(at) : buffer.readBigUInt64BE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new TiffFormatError(`offset ${value} is beyond what this reader addresses`);
  return Number(value);
}
