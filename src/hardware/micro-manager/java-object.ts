import { BridgeProtocolError, BridgeRemoteError, BridgeRequestError } from './errors';
import { chooseOverload, describeArguments, describeOverloads, type RemoteHandle } from './overload-selection';
import type { PixelView } from './pixel-views';
import type { DecodedReply, JavaMethod, RemoteObjectReply } from './reply-decoding';
import type { BridgeTransport } from './transport';

export type JsonObject = Readonly<Record<string, unknown>>;
/** What a Java call gives back in JS: void/null, a primitive, text, a JSONObject, an array view, or a remote object. */
export type JavaResult = undefined | number | boolean | string | JsonObject | PixelView | JavaObject;

export interface CallOptions {
  readonly timeoutMs?: number;
}

/** Remote objects this process was handed, released explicitly, and released by the garbage-collector fallback. */
export const remoteObjectStats = { received: 0, released: 0, releasedByFinalizer: 0 };

interface HeldReference {
  readonly transport: BridgeTransport;
  readonly hashCode: string;
  readonly className: string;
}

function destructorRequest(held: { hashCode: string; className: string }) {
  return { command: 'destructor', 'hash-code': held.hashCode, java_class_name: held.className };
}

// Objects dropped without release() are still forgotten by the server once this process collects them.
const finalizer = new FinalizationRegistry<HeldReference>((held) => {
  if (held.transport.state$.value === 'closed') return;
  remoteObjectStats.releasedByFinalizer++;
  held.transport.request(destructorRequest(held), `destructor of ${held.className}`).catch(() => undefined);
});

/**
 * A proxy for a Java object the server holds, built from the `api` listed in the reply that handed it out.
 * `invoke` picks the overload by argument count and JS types, as pyjavaz does; `release()` sends the destructor.
 */
export class JavaObject implements RemoteHandle {
  private releasedAlready = false;
  private methodsByName?: Map<string, JavaMethod[]>;

  constructor(
    private readonly transport: BridgeTransport,
    readonly reference: RemoteObjectReply,
  ) {
    remoteObjectStats.received++;
    finalizer.register(this, { transport, hashCode: reference['hash-code'], className: reference.class }, this);
  }

  get className(): string {
    return this.reference.class;
  }

  get hashCode(): string {
    return this.reference['hash-code'];
  }

  get interfaces(): readonly string[] {
    return this.reference.interfaces;
  }

  get fields(): readonly string[] {
    return this.reference.fields;
  }

  get api(): readonly JavaMethod[] {
    return this.reference.api;
  }

  get isReleased(): boolean {
    return this.releasedAlready;
  }

  hasMethod(name: string): boolean {
    return this.overloads(name).length > 0;
  }

  /** The listed overloads of one method (CMMCore lists 389 methods; calls should not scan them all). */
  overloads(name: string): readonly JavaMethod[] {
    if (!this.methodsByName) {
      this.methodsByName = new Map();
      for (const method of this.reference.api) {
        const same = this.methodsByName.get(method.name);
        if (same) same.push(method);
        else this.methodsByName.set(method.name, [method]);
      }
    }
    return this.methodsByName.get(name) ?? [];
  }

  /** Calls a Java method; use `typed(javaType, value)` for an argument whose overload JS types cannot pick. */
  async invoke(name: string, args: readonly unknown[] = [], options: CallOptions = {}): Promise<JavaResult> {
    this.assertLive(name);
    const chosen = chooseOverload(this.overloads(name), name, args);
    if (!chosen) {
      throw new BridgeRequestError(
        `${this.className}.${name}: no overload takes (${describeArguments(args)}); it has ${describeOverloads(this.reference.api, name)}`,
        this.transport.endpoint,
        name,
      );
    }
    const request = {
      command: 'run-method',
      static: false,
      'hash-code': this.hashCode,
      java_class_name: this.className,
      name,
      'argument-types': chosen.method.arguments,
      'argument-deserialization-types': chosen.deserializationTypes,
      arguments: chosen.wireArguments,
    };
    return toJavaResult(this.transport, await this.transport.request(request, name, options.timeoutMs), name);
  }

  call(name: string, ...args: unknown[]): Promise<JavaResult> {
    return this.invoke(name, args);
  }

  /** Reads a public field (e.g. TaggedImage's `pix` and `tags`, Point2D's `x` and `y`). */
  async getField(name: string, options: CallOptions = {}): Promise<JavaResult> {
    const label = `${this.className}.${name}`;
    this.assertLive(label);
    const request = { command: 'get-field', 'hash-code': this.hashCode, name };
    return toJavaResult(this.transport, await this.transport.request(request, label, options.timeoutMs), label);
  }

  field(name: string): Promise<JavaResult> {
    return this.getField(name);
  }

  /** Tells the server to forget the object; later calls on this proxy are refused. */
  async release(): Promise<void> {
    if (this.releasedAlready) return;
    this.releasedAlready = true;
    finalizer.unregister(this);
    remoteObjectStats.released++;
    if (this.transport.state$.value === 'closed') return;
    await this.transport.request(destructorRequest(this), `destructor of ${this.className}`);
  }

  private assertLive(what: string): void {
    if (this.releasedAlready) {
      throw new BridgeRequestError(`${what}: this ${this.className} was released`, this.transport.endpoint, what);
    }
  }
}

const JAVA_CLASS_NAME = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)(?::\s*(.*))?$/;

/** The server's exception text, first line `java.lang.Exception: <MMCore's message>`, as a typed error. */
export function remoteError(method: string, endpoint: string, text: string): BridgeRemoteError {
  const firstLine = text.split('\n', 1)[0].trim();
  const match = JAVA_CLASS_NAME.exec(firstLine);
  const javaClass = match ? match[1] : '';
  const message = match ? (match[2] ?? match[1]) : firstLine;
  return new BridgeRemoteError(method, endpoint, message, javaClass, text);
}

export function toJavaResult(transport: BridgeTransport, decoded: DecodedReply, method: string): JavaResult {
  if (decoded.kind === 'array') return decoded.elements;
  const { reply } = decoded;
  switch (reply.type) {
    case 'none':
      return undefined;
    case 'primitive':
    case 'string':
      return reply.value;
    case 'exception':
      throw remoteError(method, transport.endpoint, reply.value);
    case 'unserialized-object':
      return new JavaObject(transport, reply);
    case 'object': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(reply.value);
      } catch {
        throw new BridgeProtocolError(`${method} on ${transport.endpoint}: its ${reply.class} is not JSON`, transport.endpoint, method);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new BridgeProtocolError(
          `${method} on ${transport.endpoint}: its ${reply.class} is not a JSON object`,
          transport.endpoint,
          method,
        );
      }
      return parsed as JsonObject;
    }
  }
}
