import { TYPE, TYPE_SIZE } from './tiff-constants';

/** One IFD entry to encode; `values` are written inline when they fit in 8 bytes, after the IFD otherwise. */
export interface IfdEntry {
  readonly tag: number;
  readonly type: number;
  /** Numbers, a string (ASCII), or an ASCII value stored elsewhere in the file (the OME-XML slot). */
  readonly values: readonly number[] | string | ExternalValue;
}

export interface ExternalValue {
  readonly count: number;
  readonly offset: number;
}

export interface EncodedIfd {
  readonly bytes: Buffer;
  /** Absolute file offset of each entry's count field, by tag (used to repoint ImageDescription in place). */
  readonly entryCountOffsets: ReadonlyMap<number, number>;
  /** Absolute file offset of the next-IFD pointer. */
  readonly nextPointerOffset: number;
}

const ENTRY_BYTES = 20;

/** Encodes a little-endian BigTIFF IFD to be written at `ifdOffset`, its out-of-line values right after it. */
export function encodeBigTiffIfd(entries: readonly IfdEntry[], ifdOffset: number, nextIfdOffset = 0): EncodedIfd {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const headerBytes = 8 + sorted.length * ENTRY_BYTES + 8;
  const payloads = sorted.map(encodeValues);
  let extraBytes = 0;
  for (const payload of payloads) if (payload.byteLength > 8) extraBytes += align8(payload.byteLength);
  const bytes = Buffer.alloc(headerBytes + extraBytes);
  bytes.writeBigUInt64LE(BigInt(sorted.length), 0);
  const entryCountOffsets = new Map<number, number>();
  let extraAt = headerBytes;
  sorted.forEach((entry, i) => {
    const at = 8 + i * ENTRY_BYTES;
    const payload = payloads[i];
    bytes.writeUInt16LE(entry.tag, at);
    bytes.writeUInt16LE(entry.type, at + 2);
    bytes.writeBigUInt64LE(BigInt(valueCount(entry)), at + 4);
    entryCountOffsets.set(entry.tag, ifdOffset + at + 4);
    if (isExternal(entry.values)) {
      bytes.writeBigUInt64LE(BigInt(entry.values.offset), at + 12);
    } else if (payload.byteLength <= 8) {
      payload.copy(bytes, at + 12);
    } else {
      bytes.writeBigUInt64LE(BigInt(ifdOffset + extraAt), at + 12);
      payload.copy(bytes, extraAt);
      extraAt += align8(payload.byteLength);
    }
  });
  const nextPointerAt = 8 + sorted.length * ENTRY_BYTES;
  bytes.writeBigUInt64LE(BigInt(nextIfdOffset), nextPointerAt);
  return { bytes, entryCountOffsets, nextPointerOffset: ifdOffset + nextPointerAt };
}

const isExternal = (values: IfdEntry['values']): values is ExternalValue => typeof values === 'object' && 'offset' in values;

const valueCount = (entry: IfdEntry): number =>
  isExternal(entry.values)
    ? entry.values.count
    : typeof entry.values === 'string'
      ? entry.values.length + 1
      : entry.type === TYPE.rational || entry.type === TYPE.srational
        ? entry.values.length / 2
        : entry.values.length;

function encodeValues(entry: IfdEntry): Buffer {
  if (isExternal(entry.values)) return Buffer.alloc(0);
  if (typeof entry.values === 'string') return Buffer.from(`${entry.values}\0`, 'latin1');
  const size = TYPE_SIZE[entry.type];
  const perValue = entry.type === TYPE.rational || entry.type === TYPE.srational ? 4 : size;
  const out = Buffer.alloc(entry.values.length * perValue);
  entry.values.forEach((value, i) => {
    const at = i * perValue;
    if (entry.type === TYPE.short) out.writeUInt16LE(value, at);
    else if (entry.type === TYPE.long || entry.type === TYPE.rational) out.writeUInt32LE(value, at);
    else if (entry.type === TYPE.long8) out.writeBigUInt64LE(BigInt(value), at);
    else if (entry.type === TYPE.byte || entry.type === TYPE.undefined) out.writeUInt8(value, at);
    else throw new Error(`encodeBigTiffIfd: field type ${entry.type} is not written by this encoder`);
  });
  return out;
}

export const align8 = (n: number): number => Math.ceil(n / 8) * 8;
export const align16 = (n: number): number => Math.ceil(n / 16) * 16;
