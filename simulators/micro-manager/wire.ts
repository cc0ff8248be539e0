/**
 * The bridge's framing, server side. Part 0 is JSON in ISO-8859-1; arrays travel as (int32 id, bytes) part
 * pairs. Client placeholders are "@<decimal id>_<bytes per element>"; ours are Java's "[B@<hex id>".
 * Where the real server's receive loop dies (and the port never answers again) we throw a WireError, which the
 * server turns into an exception reply instead.
 */
import { JavaJsonObject, javaJsonText } from './java-json';

export class WireError extends Error {
  override readonly name = 'WireError';
}

/** An array a client sent: raw bytes and the element size its placeholder declared. */
export class ClientArray {
  constructor(
    readonly bytes: Buffer,
    readonly bytesPerElement: 0 | 1 | 2 | 4,
  ) {}
}

export type ArrayKind = 'byte-array' | 'short-array' | 'int-array' | 'float-array' | 'double-array';

const WEDGE = 'the real server stops answering after such a message';

function parseIntStrict(text: string | undefined, placeholder: string): number {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) {
    throw new WireError(`java.lang.NumberFormatException: For input string: "${text ?? ''}" in placeholder "${placeholder}" (${WEDGE})`);
  }
  return Number(text);
}

/** Replaces placeholders with ClientArray values, as ZMQSocketWrapper.insertByteBuffer does. */
function insertArrays(node: unknown, arrays: ReadonlyMap<number, Buffer>): unknown {
  if (typeof node === 'string') {
    if (!node.includes('@')) return node;
    const fields = node.slice(1).split('_');
    const id = parseIntStrict(fields[0], node);
    const bytesPerElement = parseIntStrict(fields[1], node);
    const data = arrays.get(id);
    if (data === undefined) return node;
    if (bytesPerElement !== 0 && bytesPerElement !== 1 && bytesPerElement !== 2 && bytesPerElement !== 4) {
      throw new WireError(`java.lang.RuntimeException: unknown bytes per pixel ${bytesPerElement} in "${node}" (${WEDGE})`);
    }
    return new ClientArray(data, bytesPerElement);
  }
  if (Array.isArray(node)) return node.map((item) => insertArrays(item, arrays));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, insertArrays(value, arrays)]));
  }
  return node;
}

export function decodeRequest(parts: readonly Buffer[]): Record<string, unknown> {
  if (parts.length === 0) throw new WireError('empty message');
  let json: unknown;
  try {
    json = JSON.parse(parts[0].toString('latin1'));
  } catch (err) {
    throw new WireError(`mmcorej.org.json.JSONException: part 0 is not a JSON object: ${(err as Error).message} (${WEDGE})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new WireError(`mmcorej.org.json.JSONException: A JSONObject text must begin with '{' (${WEDGE})`);
  }
  if (parts.length === 1) return json as Record<string, unknown>;
  if ((parts.length - 1) % 2 !== 0)
    throw new WireError(`binary parts must come in (identifier, bytes) pairs, got ${parts.length - 1} parts (${WEDGE})`);
  const arrays = new Map<number, Buffer>();
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i].length < 4) throw new WireError(`array identifier part ${i} must be 4 bytes, got ${parts[i].length} (${WEDGE})`);
    arrays.set(parts[i].readInt32LE(0), parts[i + 1]);
  }
  return insertArrays(json, arrays) as Record<string, unknown>;
}

/** Java's ISO-8859-1 encoder: every character above U+00FF becomes '?'. */
export function latin1(text: string): Buffer {
  // eslint-disable-next-line no-control-regex -- ISO-8859-1 starts at U+0000: the range is the encoding's, not a typo
  return Buffer.from(text.replace(/[^\u0000-\u00ff]/g, '?'), 'latin1');
}

/** A stand-in for System.identityHashCode: a positive 31-bit number. */
export function identityHash(): number {
  return 1 + Math.floor(Math.random() * 0x7ffffffe);
}

/** An array reply: the placeholder goes in `value`, the bytes (little-endian elements) follow as a part pair. */
export function encodeArrayReply(kind: ArrayKind, bytes: Uint8Array): Buffer[] {
  const id = identityHash();
  const head = Buffer.alloc(4);
  head.writeInt32LE(id, 0);
  const reply = new JavaJsonObject([
    ['type', kind],
    ['value', `[B@${id.toString(16)}`],
  ]);
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return [latin1(javaJsonText(reply)), head, body];
}

export function encodeReply(reply: JavaJsonObject): Buffer[] {
  return [latin1(javaJsonText(reply))];
}
