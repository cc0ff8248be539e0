/**
 * The bridge's framing, server side: part 0 is JSON in ISO-8859-1; arrays travel as (int32 id, bytes) part pairs.
 * Client placeholders are "@<decimal id>_<bytes per element>" and their elements are read big-endian, as the
 * real server does; our placeholders are Java's default "[B@<hex id>" and our elements are little-endian.
 */

export class WireError extends Error {
  override readonly name = 'WireError';
}

export interface DecodedRequest {
  readonly json: Record<string, unknown>;
  /** Binary arguments by their placeholder text. */
  readonly arrays: Map<string, Buffer>;
}

const CLIENT_PLACEHOLDER = /^@(-?\d+)_(\d+)$/;

export function decodeRequest(parts: readonly Buffer[]): DecodedRequest {
  if (parts.length === 0) throw new WireError('empty message');
  if ((parts.length - 1) % 2 !== 0) throw new WireError(`binary parts must come in pairs, got ${parts.length - 1}`);
  let json: unknown;
  try {
    json = JSON.parse(parts[0].toString('latin1'));
  } catch (err) {
    throw new WireError(`part 0 is not JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new WireError('part 0 must be a JSON object');
  const byId = new Map<number, Buffer>();
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i].length !== 4) throw new WireError(`array identifier part ${i} must be 4 bytes, got ${parts[i].length}`);
    byId.set(parts[i].readInt32LE(0), parts[i + 1]);
  }
  const arrays = new Map<string, Buffer>();
  if (byId.size > 0) {
    // The real server wedges on '@' in plain strings of a message with arrays; we answer with an error instead.
    const visit = (value: unknown): void => {
      if (typeof value === 'string' && value.includes('@')) {
        const match = CLIENT_PLACEHOLDER.exec(value);
        if (!match) throw new WireError(`string "${value}" contains '@' but is not an array placeholder`);
        const bytesPerElement = Number(match[2]);
        if (![0, 1, 2, 4].includes(bytesPerElement)) throw new WireError(`placeholder suffix _${match[2]} is not 0, 1, 2 or 4`);
        const data = byId.get(Number(match[1]));
        if (!data) throw new WireError(`no binary part for placeholder ${value}`);
        arrays.set(value, data);
      } else if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
    };
    visit(json);
  }
  return { json: json as Record<string, unknown>, arrays };
}

export type ArrayKind = 'byte-array' | 'short-array' | 'int-array' | 'float-array' | 'double-array';

export interface ReplyArray {
  readonly kind: ArrayKind;
  /** The element bytes, little-endian. */
  readonly bytes: Buffer | Uint8Array;
}

let nextArrayId = 0x1b6d3586;

/** JSON text with every non-latin1 character replaced by '?', as Java's ISO-8859-1 encoder does. */
function latin1(text: string): Buffer {
  return Buffer.from(text.replace(/[^\u0000-\u00ff]/g, '?'), 'latin1');
}

export function encodeReply(json: Record<string, unknown>, array?: ReplyArray): Buffer[] {
  if (!array) return [latin1(JSON.stringify(json))];
  nextArrayId = (nextArrayId + 0x9e3779b1) | 0;
  const id = nextArrayId & 0x7fffffff;
  const head = Buffer.alloc(4);
  head.writeInt32LE(id, 0);
  const body = Buffer.isBuffer(array.bytes)
    ? array.bytes
    : Buffer.from(array.bytes.buffer, array.bytes.byteOffset, array.bytes.byteLength);
  return [latin1(JSON.stringify({ ...json, type: array.kind, value: `[B@${id.toString(16)}` })), head, body];
}
