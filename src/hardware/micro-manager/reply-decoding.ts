import { z } from 'zod';
import { ARRAY_REPLY_TYPES, ArrayLengthError, viewArray, type ArrayReplyType, type PixelView } from './pixel-views';

/**
 * Server → client framing. Part 0 is ISO-8859-1 JSON (µ arrives as the single byte 0xB5); an array travels as
 * the placeholder "[B@<hex id>" (Java's default text of a byte[]) plus a part pair (int32 id, little-endian
 * element bytes). The reply's shape is validated here, once, so nothing downstream trusts the wire.
 */

const methodSchema = z.object({ name: z.string(), arguments: z.array(z.string()), 'return-type': z.string() });

const remoteObjectSchema = z.object({
  type: z.literal('unserialized-object'),
  class: z.string(),
  'hash-code': z.string().min(1),
  port: z.number().int().optional(),
  interfaces: z.array(z.string()).default([]),
  fields: z.array(z.string()).default([]),
  api: z.array(methodSchema),
});

const arrayReplySchema = z.object({
  type: z.enum(ARRAY_REPLY_TYPES as [ArrayReplyType, ...ArrayReplyType[]]),
  value: z.string().regex(/@[0-9a-fA-F]{1,8}$/, 'an array placeholder such as "[B@1b6d3586"'),
});

export const replySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none'), version: z.string().optional(), api: z.unknown().optional() }),
  z.object({ type: z.literal('primitive'), value: z.union([z.number(), z.boolean()]) }),
  z.object({ type: z.literal('string'), value: z.string() }),
  z.object({ type: z.literal('object'), class: z.string(), value: z.string() }),
  z.object({ type: z.literal('exception'), value: z.string() }),
  arrayReplySchema,
  remoteObjectSchema,
]);

export type Reply = z.infer<typeof replySchema>;
export type RemoteObjectReply = z.infer<typeof remoteObjectSchema>;
export type JavaMethod = z.infer<typeof methodSchema>;

/** A reply that does not parse or breaks the protocol. */
export class ReplyFormatError extends Error {
  override readonly name = 'ReplyFormatError';
}

type ArrayReply = z.infer<typeof arrayReplySchema>;
export type ValueReply = Exclude<Reply, ArrayReply>;

export type DecodedReply =
  | { readonly kind: 'value'; readonly reply: ValueReply }
  /** `elements` is a view over the received part, not a copy. */
  | { readonly kind: 'array'; readonly reply: ArrayReply; readonly elements: PixelView };

function isArrayReply(reply: Reply): reply is ArrayReply {
  return (ARRAY_REPLY_TYPES as readonly string[]).includes(reply.type);
}

function placeholderId(placeholder: string): number {
  return parseInt(placeholder.slice(placeholder.lastIndexOf('@') + 1), 16) >>> 0;
}

/** The part pairs after part 0, keyed by their identifier read as unsigned, as Java prints it in hex. */
function arrayParts(parts: readonly Uint8Array[]): Map<number, Uint8Array> {
  if (parts.length % 2 !== 1) throw new ReplyFormatError(`a reply has part 0 and whole (id, bytes) pairs, got ${parts.length} parts`);
  const byId = new Map<number, Uint8Array>();
  for (let i = 1; i < parts.length; i += 2) {
    const head = parts[i];
    if (head.byteLength !== 4) throw new ReplyFormatError(`array identifier part ${i} has ${head.byteLength} bytes, not 4`);
    const id = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
    if (byId.has(id)) throw new ReplyFormatError(`array identifier ${id.toString(16)} appears twice`);
    byId.set(id, parts[i + 1]);
  }
  return byId;
}

export function decodeReply(parts: readonly Uint8Array[]): DecodedReply {
  if (parts.length === 0) throw new ReplyFormatError('empty reply');
  const pairs = arrayParts(parts);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(parts[0].buffer, parts[0].byteOffset, parts[0].byteLength).toString('latin1'));
  } catch (err) {
    throw new ReplyFormatError(`reply is not JSON: ${(err as Error).message}`);
  }
  const parsed = replySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReplyFormatError(`reply breaks the protocol at ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  const reply = parsed.data;
  if (!isArrayReply(reply)) {
    if (pairs.size > 0) throw new ReplyFormatError(`a ${reply.type} reply carries no binary parts, got ${parts.length - 1}`);
    return { kind: 'value', reply };
  }
  const id = placeholderId(reply.value);
  const bytes = pairs.get(id);
  if (!bytes) {
    const got = [...pairs.keys()].map((k) => k.toString(16)).join(', ') || 'no array part';
    throw new ReplyFormatError(`array identifier ${got} does not match placeholder ${reply.value}`);
  }
  if (pairs.size > 1) throw new ReplyFormatError(`a ${reply.type} reply carries ${pairs.size} arrays, expected 1`);
  try {
    return { kind: 'array', reply, elements: viewArray(reply.type, bytes) };
  } catch (err) {
    if (err instanceof ArrayLengthError) throw new ReplyFormatError(err.message);
    throw err;
  }
}
