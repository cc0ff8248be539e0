import { BridgeProtocolError, BridgeRemoteError, BridgeRequestError } from './errors';
import type { BridgeTransport } from './transport';
import { BINARY_MARK, WireFormatError, encodeRequest, type BinaryArgument, type DecodedReply, type RemoteObjectReply } from './wire';

export type PixelView = Uint8Array | Uint16Array | Int32Array | Float32Array | Float64Array;
export type JavaResult = undefined | number | boolean | string | Record<string, unknown> | PixelView | JavaObject;

/** An argument with its Java parameter type spelled out, for overloads the JS type cannot pick. */
export interface TypedArgument {
  readonly javaType: string;
  readonly value: unknown;
}

export const typed = (javaType: string, value: unknown): TypedArgument => ({ javaType, value });

function isTyped(arg: unknown): arg is TypedArgument {
  return typeof arg === 'object' && arg !== null && 'javaType' in arg && 'value' in arg;
}

function jsTypeMatches(javaType: string, value: unknown): boolean {
  switch (javaType) {
    case 'java.lang.String':
      return typeof value === 'string';
    case 'boolean':
    case 'java.lang.Boolean':
      return typeof value === 'boolean';
    case 'int':
    case 'long':
    case 'short':
    case 'java.lang.Integer':
    case 'java.lang.Long':
      return typeof value === 'number' && Number.isInteger(value);
    case 'double':
    case 'float':
    case 'java.lang.Double':
    case 'java.lang.Float':
      return typeof value === 'number';
    default:
      return (value instanceof JavaObject && true) || ArrayBuffer.isView(value);
  }
}

const ARRAY_VIEWS: Record<string, (b: Buffer) => PixelView> = {
  'byte-array': (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
  // Pixels are unsigned in practice although Java's short is signed.
  'short-array': (b) => view(b, 2, (buf, off, len) => new Uint16Array(buf, off, len)),
  'int-array': (b) => view(b, 4, (buf, off, len) => new Int32Array(buf, off, len)),
  'float-array': (b) => view(b, 4, (buf, off, len) => new Float32Array(buf, off, len)),
  'double-array': (b) => view(b, 8, (buf, off, len) => new Float64Array(buf, off, len)),
};

/** A typed view over the received bytes; copies only when the message buffer is misaligned for the type. */
function view<T>(bytes: Buffer, size: number, make: (buffer: ArrayBufferLike, offset: number, length: number) => T): T {
  if (bytes.byteLength % size !== 0) throw new WireFormatError(`array of ${bytes.byteLength} bytes is not a whole number of ${size}-byte elements`);
  if (bytes.byteOffset % size === 0) return make(bytes.buffer, bytes.byteOffset, bytes.byteLength / size);
  alignmentStats.copies++;
  const copy = new Uint8Array(bytes);
  return make(copy.buffer, 0, copy.byteLength / size);
}

/** How often a pixel array had to be copied because of alignment (0 in practice; watched by tests). */
export const alignmentStats = { copies: 0 };

const released = new FinalizationRegistry<{ transport: BridgeTransport; hashCode: string; className: string }>((held) => {
  if (held.transport.state$.value === 'closed') return;
  void held.transport
    .request(encodeRequest({ command: 'destructor', 'hash-code': held.hashCode, java_class_name: held.className }), 'destructor')
    .catch(() => undefined);
});

/**
 * A Java object held by the server, driven through its `api` listing: calls pick the overload whose Java
 * parameter types fit the arguments. `release()` tells the server to forget it; objects dropped without it are
 * released when garbage-collected.
 */
export class JavaObject {
  private releasedAlready = false;

  constructor(
    private readonly transport: BridgeTransport,
    readonly reference: RemoteObjectReply,
  ) {
    released.register(this, { transport, hashCode: reference['hash-code'], className: reference.class }, this);
  }

  get className(): string {
    return this.reference.class;
  }

  get hashCode(): string {
    return this.reference['hash-code'];
  }

  hasMethod(name: string): boolean {
    return this.reference.api.some((m) => m.name === name);
  }

  async call(name: string, ...args: unknown[]): Promise<JavaResult> {
    const values = args.map((a) => (isTyped(a) ? a.value : a));
    const candidates = this.reference.api.filter(
      (m) =>
        m.name === name &&
        m.arguments.length === args.length &&
        m.arguments.every((type, i) => {
          const arg = args[i];
          return isTyped(arg) ? arg.javaType === type : jsTypeMatches(type, arg);
        }),
    );
    if (candidates.length === 0) {
      const known = this.reference.api.filter((m) => m.name === name).map((m) => `${name}(${m.arguments.join(', ')})`);
      throw new BridgeRequestError(
        `${this.className}.${name}: no overload takes (${values.map((v) => typeof v).join(', ')})${known.length ? `; it has ${known.join(' | ')}` : '; no such method'}`,
        this.transport.endpoint,
        name,
      );
    }
    // Prefer double over int for whole numbers only when no int overload exists: the first listed exact match wins.
    const method = candidates.find((m) => m.arguments.every((t, i) => !isTyped(args[i]) || t === (args[i] as TypedArgument).javaType)) ?? candidates[0];
    const binaries: BinaryArgument['binary'][] = [];
    const jsonArgs = values.map((v) => {
      if (v instanceof JavaObject) return { 'hash-code': v.hashCode };
      if (ArrayBuffer.isView(v)) {
        binaries.push(v as BinaryArgument['binary']);
        return BINARY_MARK;
      }
      return v;
    });
    const request = {
      command: 'run-method',
      static: false,
      'hash-code': this.hashCode,
      java_class_name: this.className,
      name,
      'argument-types': method.arguments,
      'argument-deserialization-types': method.arguments,
      arguments: jsonArgs,
    };
    return this.send(request, binaries, name);
  }

  async field(name: string): Promise<JavaResult> {
    return this.send({ command: 'get-field', 'hash-code': this.hashCode, name }, [], `${this.className}.${name}`);
  }

  async release(): Promise<void> {
    if (this.releasedAlready) return;
    this.releasedAlready = true;
    released.unregister(this);
    await this.transport.request(
      encodeRequest({ command: 'destructor', 'hash-code': this.hashCode, java_class_name: this.className }),
      'destructor',
    );
  }

  private async send(request: Record<string, unknown>, binaries: BinaryArgument['binary'][], method: string): Promise<JavaResult> {
    let parts: Buffer[];
    try {
      parts = encodeRequest(request, binaries);
    } catch (err) {
      throw new BridgeRequestError(`${method}: ${(err as Error).message}`, this.transport.endpoint, method);
    }
    return toResult(this.transport, await this.transport.request(parts, method), method);
  }
}

export function toResult(transport: BridgeTransport, decoded: DecodedReply, method: string): JavaResult {
  const { reply } = decoded;
  switch (reply.type) {
    case 'none':
      return undefined;
    case 'primitive':
    case 'string':
      return reply.value;
    case 'object':
      try {
        return JSON.parse(reply.value) as Record<string, unknown>;
      } catch {
        throw new BridgeProtocolError(`${method}: JSONObject reply is not JSON`, transport.endpoint, method);
      }
    case 'exception': {
      const [head = ''] = reply.value.split('\n');
      const colon = head.indexOf(': ');
      const javaClass = colon > 0 ? head.slice(0, colon) : head;
      const message = colon > 0 ? head.slice(colon + 2) : head;
      throw new BridgeRemoteError(method, transport.endpoint, message, javaClass, reply.value);
    }
    case 'unserialized-object':
      return new JavaObject(transport, reply);
    default:
      return ARRAY_VIEWS[reply.type](decoded.arrayBytes!);
  }
}
