import { endianness } from 'node:os';

/**
 * Client → server framing. Part 0 is ASCII JSON (every character above 0x7F as a \u escape, since the server
 * decodes ISO-8859-1). Each typed array in the request becomes the placeholder "@<id>_0" and a part pair
 * (int32 id, native order; the element bytes). The real server wraps those bytes without setting an order, so
 * it reads them big-endian: we send big-endian elements with suffix _0 (pyjavaz sends little-endian and
 * scrambles multi-byte arrays; suffixes _2/_4 make the server fail).
 */

export type SendableArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface BridgeRequest {
  readonly command: string;
  readonly [key: string]: unknown;
}

/** A request we refuse to send: it cannot be encoded, or it would wedge the real server. */
export class RequestEncodingError extends Error {
  override readonly name = 'RequestEncodingError';
}

const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';
let nextArrayId = 1;

function bigEndianBytes(array: SendableArray): Buffer {
  const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  if (array.BYTES_PER_ELEMENT === 1 || !HOST_IS_LITTLE_ENDIAN) return Buffer.from(bytes);
  const copy = Buffer.from(bytes);
  if (array.BYTES_PER_ELEMENT === 2) return copy.swap16();
  if (array.BYTES_PER_ELEMENT === 4) return copy.swap32();
  return copy.swap64();
}

function isSendableArray(value: unknown): value is SendableArray {
  return (
    ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array)
  );
}

/** JSON with every character above 0x7F escaped; surrogate pairs become two escapes, as JSON allows. */
export function asciiJson(value: unknown, replacer?: (this: unknown, key: string, value: unknown) => unknown): string {
  return JSON.stringify(value, replacer as never).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function encodeRequest(request: BridgeRequest): Buffer[] {
  const arrayParts: Buffer[] = [];
  let stringWithAt: string | undefined;
  const text = asciiJson(request, function (this: unknown, key: string, value: unknown) {
    // The holder's own property, before Buffer#toJSON turned a Buffer into {type, data}.
    const original = key === '' ? value : (this as Record<string, unknown>)[key];
    if (isSendableArray(original)) {
      const id = nextArrayId;
      nextArrayId = nextArrayId >= 0x7fffffff ? 1 : nextArrayId + 1;
      const head = Buffer.alloc(4);
      head.writeInt32LE(id, 0);
      arrayParts.push(head, bigEndianBytes(original));
      return `@${id}_0`;
    }
    if (ArrayBuffer.isView(original)) throw new RequestEncodingError(`cannot send a ${original.constructor.name} (key "${key}")`);
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new RequestEncodingError(`cannot send ${value} (key "${key}"): JSON has no such number and Java would receive null`);
    }
    if (typeof value === 'bigint') throw new RequestEncodingError(`cannot send a bigint (key "${key}"); pass a number`);
    if (stringWithAt === undefined && ((typeof value === 'string' && value.includes('@')) || key.includes('@'))) {
      stringWithAt = typeof value === 'string' && value.includes('@') ? value : key;
    }
    return value;
  });
  if (arrayParts.length > 0 && stringWithAt !== undefined) {
    // The real server stops answering for good after such a message; refuse it here instead.
    throw new RequestEncodingError(
      `cannot send "${stringWithAt}": a string containing '@' in a request that also carries arrays wedges Micro-Manager's server`,
    );
  }
  return [Buffer.from(text, 'latin1'), ...arrayParts];
}
