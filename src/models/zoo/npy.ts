/**
 * NumPy's .npy format (version 1–3), which BioImage.IO packages use for their test tensors: a magic string, a
 * Python-dict header (dtype, fortran_order, shape), then the raw array. Read into float32 (the models' type);
 * written as little-endian float32.
 */

export class NpyFormatError extends Error {
  override readonly name = 'NpyFormatError';
}

export interface NpyArray {
  readonly shape: readonly number[];
  /** The dtype the file declared, e.g. '<f4', '|u1'. */
  readonly dtype: string;
  readonly data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Reader = (view: DataView, offset: number, littleEndian: boolean) => number;
const READERS: Record<string, { bytes: number; read: Reader }> = {
  f4: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
  u1: { bytes: 1, read: (v, o) => v.getUint8(o) },
  i1: { bytes: 1, read: (v, o) => v.getInt8(o) },
  u2: { bytes: 2, read: (v, o, le) => v.getUint16(o, le) },
  i2: { bytes: 2, read: (v, o, le) => v.getInt16(o, le) },
  u4: { bytes: 4, read: (v, o, le) => v.getUint32(o, le) },
  i4: { bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  i8: { bytes: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u8: { bytes: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) },
  b1: { bytes: 1, read: (v, o) => v.getUint8(o) },
};

export function readNpy(bytes: Uint8Array, where = 'npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyFormatError(`${where}: not a .npy file (bad magic)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyFormatError(`${where}: unreadable header ${JSON.stringify(header.trim())}`);
  if (fortran === 'True') throw new NpyFormatError(`${where}: Fortran-ordered arrays are not read`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new NpyFormatError(`${where}: bad shape (${shapeText})`);
  const order = descr[0];
  const reader = READERS[descr.slice(1)];
  if (!reader || !'<>|='.includes(order)) throw new NpyFormatError(`${where}: dtype ${descr} is not read (float, int, uint, bool)`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (bytes.length - dataStart < count * reader.bytes) throw new NpyFormatError(`${where}: ${bytes.length - dataStart} data bytes for ${count} × ${descr}`);
  const littleEndian = order !== '>';
  const data = new Float32Array(count);
  if (descr === '<f4' && (bytes.byteOffset + dataStart) % 4 === 0) {
    data.set(new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, count));
  } else {
    for (let i = 0; i < count; i++) data[i] = reader.read(view, dataStart + i * reader.bytes, littleEndian);
  }
  return { shape, dtype: descr, data };
}

/** A little-endian float32 .npy (version 1), C order. */
export function writeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new NpyFormatError(`writeNpy: shape ${shape.join('×')} needs ${count} values, got ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Header padded with spaces and a newline so the data starts on a 64-byte boundary.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}
