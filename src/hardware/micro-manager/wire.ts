import { z } from 'zod';

/**
 * The bridge's framing, client side. Requests: ASCII JSON (non-ASCII as \u escapes) whose arrays are
 * "@<id>_0" placeholders followed by (int32 id, bytes) part pairs, element bytes big-endian because the real
 * server reads them so. Replies: ISO-8859-1 JSON whose arrays are "[B@<hex id>" placeholders, elements
 * little-endian.
 */

export type ArrayReplyType = 'byte-array' | 'short-array' | 'int-array' | 'float-array' | 'double-array';

const remoteObjectSchema = z.object({
  type: z.literal('unserialized-object'),
  class: z.string(),
  'hash-code': z.string().min(1),
  port: z.number().int().optional(),
  interfaces: z.array(z.string()),
  fields: z.array(z.string()).default([]),
  api: z.array(z.object({ name: z.string(), arguments: z.array(z.string()), 'return-type': z.string() })),
});

export const replySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none'), version: z.string().optional(), api: z.unknown().optional() }),
  z.object({ type: z.literal('primitive'), value: z.union([z.number(), z.boolean()]) }),
  z.object({ type: z.literal('string'), value: z.string() }),
  z.object({ type: z.literal('object'), class: z.string(), value: z.string() }),
  z.object({ type: z.literal('exception'), value: z.string() }),
  z.object({ type: z.enum(['byte-array', 'short-array', 'int-array', 'float-array', 'double-array']), value: z.string().regex(/@[0-9a-fA-F]+$/) }),
  remoteObjectSchema,
]);

export type Reply = z.infer<typeof replySchema>;
export type RemoteObjectReply = z.infer<typeof remoteObjectSchema>;

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

export interface DecodedReply {
  readonly reply: Reply;
  /** The array's bytes, a view into the received message (no copy). */
  readonly arrayBytes?: Buffer;
}

export function decodeReply(parts: readonly Buffer[]): DecodedReply {
  if (parts.length !== 1 && parts.length !== 3) throw new WireFormatError(`a reply has 1 or 3 parts, got ${parts.length}`);
  let json: unknown;
  try {
    json = JSON.parse(parts[0].toString('latin1'));
  } catch (err) {
    throw new WireFormatError(`reply is not JSON: ${(err as Error).message}`);
  }
  const parsed = replySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WireFormatError(`reply breaks the protocol at ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  const reply = parsed.data;
  const isArray = reply.type.endsWith('-array');
  if (!isArray) {
    if (parts.length !== 1) throw new WireFormatError(`a ${reply.type} reply carries no binary parts, got ${parts.length - 1}`);
    return { reply };
  }
  if (parts.length !== 3) throw new WireFormatError(`a ${reply.type} reply needs its binary part pair`);
  if (parts[1].length !== 4) throw new WireFormatError(`array identifier must be 4 bytes, got ${parts[1].length}`);
  const placeholder = (reply as { value: string }).value;
  const id = parseInt(placeholder.slice(placeholder.lastIndexOf('@') + 1), 16) | 0;
  if (parts[1].readInt32LE(0) !== id) throw new WireFormatError(`array part ${parts[1].readInt32LE(0)} does not match placeholder ${placeholder}`);
  return { reply, arrayBytes: parts[2] };
}

/** Binary argument to send: its bytes are re-ordered big-endian for the server. */
export interface BinaryArgument {
  readonly binary: Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array | Float64Array;
}

function bigEndianBytes(array: BinaryArgument['binary']): Buffer {
  const size = array.BYTES_PER_ELEMENT;
  const source = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  if (size === 1) return Buffer.from(source);
  const out = Buffer.alloc(source.length);
  for (let i = 0; i < source.length; i += size) for (let b = 0; b < size; b++) out[i + b] = source[i + size - 1 - b];
  return out;
}

/** JSON with every character above 0x7F escaped, so the server's ISO-8859-1 decoding cannot garble it. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

let nextArgumentId = 1;

export function encodeRequest(json: Record<string, unknown>, binaries: readonly BinaryArgument['binary'][] = []): Buffer[] {
  if (binaries.length === 0) return [Buffer.from(asciiJson(json), 'latin1')];
  const parts: Buffer[] = [];
  const placeholders: string[] = [];
  for (const binary of binaries) {
    const id = nextArgumentId++ & 0x7fffffff;
    const head = Buffer.alloc(4);
    head.writeInt32LE(id, 0);
    parts.push(head, bigEndianBytes(binary));
    placeholders.push(`@${id}_0`);
  }
  // The real server never answers again after a string with '@' in a message that carries arrays.
  JSON.stringify(json, (_key, value: unknown) => {
    if (typeof value === 'string' && value !== BINARY_MARK && value.includes('@')) {
      throw new WireFormatError(`cannot send "${value}": a string with '@' in a request with binary arguments wedges the server`);
    }
    return value;
  });
  let index = 0;
  const withPlaceholders = JSON.parse(JSON.stringify(json), (_key, value: unknown) =>
    value === BINARY_MARK ? placeholders[index++] : value,
  ) as Record<string, unknown>;
  const text = asciiJson(withPlaceholders);
  return [Buffer.from(text, 'latin1'), ...parts];
}

/** Marks where a binary argument goes in the JSON before encoding. */
export const BINARY_MARK = '\u0000binary\u0000';
