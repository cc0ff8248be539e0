import { randomUUID } from 'node:crypto';
import * as zmq from 'zeromq';
import { JavaMethodError, JavaServerError, methodExceptionText, serverExceptionText } from './java-errors';
import { JavaDouble, JavaJsonObject, javaJsonText } from './java-json';
import { listingJson, type JavaMethod } from './java-listings';
import { resolveCall } from './overloads';
import type { JavaValue, RemoteObject } from './remote-values';
import { WireError, decodeRequest, encodeArrayReply, encodeReply, identityHash } from './wire';

export const SERVER_VERSION = '5.1.0';

/** What the server can construct and load, by classpath (its "classloader"). */
export interface JavaClassRegistry {
  /** `get-constructors`: the public constructors' parameter types. */
  constructors(classpath: string): ReadonlyArray<readonly string[]>;
  /** `constructor`: a new object, or the running instance for classes mapped to one (mmcorej.CMMCore). */
  construct(classpath: string, argumentTypes: readonly string[], args: readonly unknown[]): RemoteObject;
  /** `get-class`: the java.lang.Class object, for static calls. */
  classObject(classpath: string): RemoteObject;
}

const identities = new WeakMap<RemoteObject, number>();

/** Java's hash-code of a hand-out: Integer.toHexString(identityHashCode) + a random UUID. */
function handOutHashCode(object: RemoteObject): string {
  let identity = identities.get(object);
  if (identity === undefined) {
    identity = identityHash();
    identities.set(object, identity);
  }
  return identity.toString(16) + randomUUID();
}

const DOUBLE_TYPES = new Set(['double', 'float', 'java.lang.Double', 'java.lang.Float']);

/** A plausible line number for the stack trace: the real CMMCore.java has getProperty(String, String) at 472. */
function sourceLine(api: readonly JavaMethod[], method: JavaMethod): number {
  const anchor = api.findIndex((m) => m.name === 'getProperty' && m.arguments.length === 2);
  const index = api.indexOf(method);
  return anchor >= 0 ? Math.max(40, 472 + 7 * (index - anchor)) : 40 + 7 * index;
}

function required(request: Record<string, unknown>, key: string): unknown {
  if (!(key in request)) throw new JavaServerError('mmcorej.org.json.JSONException', `JSONObject["${key}"] not found.`, 'command');
  return request[key];
}

function requiredBoolean(request: Record<string, unknown>, key: string): boolean {
  const value = required(request, key);
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new JavaServerError('mmcorej.org.json.JSONException', `JSONObject["${key}"] is not a Boolean.`, 'command');
}

/**
 * One REP socket of Micro-Manager's bridge (org.micromanager.pyjavaz.ZMQServer): answers connect,
 * get-constructors, constructor, get-class, run-method, get-field, set-field and destructor, one request at a
 * time. Objects constructed with "new-port" get a server of their own on the next free port, which closes
 * itself once its last object is released, as the real one does.
 */
export class BridgeServer {
  private readonly socket = new zmq.Reply({ linger: 0 });
  private readonly objects = new Map<string, RemoteObject>();
  private readonly children = new Set<BridgeServer>();
  private loop?: Promise<void>;
  private host = '127.0.0.1';
  port = 0;
  requestsServed = 0;

  constructor(
    private readonly registry: JavaClassRegistry,
    private readonly parent?: BridgeServer,
  ) {}

  /** Objects handed out on this port and not yet released. */
  get liveObjects(): number {
    return this.objects.size;
  }

  /** Ports of the servers opened for "new-port" objects and still open. */
  get childPorts(): number[] {
    return [...this.children].map((child) => child.port);
  }

  get closed(): boolean {
    return this.socket.closed;
  }

  async listen(host: string, port: number): Promise<number> {
    this.host = host;
    await this.socket.bind(`tcp://${host}:${port === 0 ? '*' : port}`);
    const endpoint = this.socket.lastEndpoint ?? '';
    this.port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
    this.loop = this.serve();
    return this.port;
  }

  async close(): Promise<void> {
    await Promise.all([...this.children].map((child) => child.close()));
    if (!this.socket.closed) this.socket.close();
    await this.loop?.catch(() => undefined);
  }

  private get root(): BridgeServer {
    return this.parent ? this.parent.root : this;
  }

  private allServers(): BridgeServer[] {
    const collect = (server: BridgeServer): BridgeServer[] => [server, ...[...server.children].flatMap(collect)];
    return collect(this.root);
  }

  private async serve(): Promise<void> {
    try {
      for await (const parts of this.socket) {
        const reply = await this.handle(parts as Buffer[]);
        this.requestsServed++;
        await this.socket.send(reply);
        if (this.parent && this.objects.size === 0) {
          this.socket.close();
          this.parent.children.delete(this);
        }
      }
    } catch (err) {
      if (!this.socket.closed) throw err;
    }
  }

  private async handle(parts: Buffer[]): Promise<Buffer[]> {
    try {
      return await this.dispatch(decodeRequest(parts));
    } catch (err) {
      return encodeReply(this.exceptionReply(err));
    }
  }

  private exceptionReply(err: unknown): JavaJsonObject {
    let text: string;
    if (err instanceof JavaServerError) text = serverExceptionText(err);
    else if (err instanceof WireError)
      text = serverExceptionText(new JavaServerError('java.lang.RuntimeException', err.message, 'message'));
    else if (err instanceof JavaMethodError) text = serverExceptionText(new JavaServerError(err.javaClass, err.message, 'runMethod'));
    else
      text = serverExceptionText(
        new JavaServerError('java.lang.RuntimeException', `simulator internal error: ${(err as Error)?.stack ?? String(err)}`, 'command'),
      );
    return new JavaJsonObject([
      ['type', 'exception'],
      ['value', text],
    ]);
  }

  private async dispatch(request: Record<string, unknown>): Promise<Buffer[]> {
    const command = required(request, 'command');
    switch (command) {
      case 'connect':
        requiredBoolean(request, 'debug');
        return encodeReply(
          new JavaJsonObject([
            ['type', 'none'],
            ['version', SERVER_VERSION],
          ]),
        );
      case 'get-constructors': {
        const classpath = String(required(request, 'classpath'));
        const api = this.registry.constructors(classpath).map(
          (args) =>
            new JavaJsonObject([
              ['name', classpath],
              ['arguments', [...args]],
            ]),
        );
        return encodeReply(
          new JavaJsonObject([
            ['type', 'none'],
            ['api', api],
          ]),
        );
      }
      case 'constructor':
      case 'get-class': {
        const classpath = String(required(request, 'classpath'));
        const instance =
          command === 'get-class'
            ? this.registry.classObject(classpath)
            : this.registry.construct(
                classpath,
                Array.isArray(request['argument-types']) ? request['argument-types'].map(String) : [],
                Array.isArray(request.arguments) ? request.arguments : [],
              );
        const owner = 'new-port' in request && requiredBoolean(request, 'new-port') ? await this.openChildServer() : this;
        return owner.serialize({ kind: 'remote', object: instance });
      }
      case 'run-method': {
        const target = this.lookupOwn(required(request, 'hash-code'), 'runMethod');
        const isStatic = requiredBoolean(request, 'static');
        if (isStatic && target.listing.class !== 'java.lang.Class') {
          throw new JavaServerError(
            'java.lang.ClassCastException',
            `class ${target.listing.class} cannot be cast to class java.lang.Class`,
            'runMethod',
          );
        }
        const call = resolveCall(target.listing, { ...request, name: required(request, 'name') }, (hash) => this.lookupAnywhere(hash));
        let result: JavaValue;
        try {
          result = await target.invoke({ signature: call.signature, args: call.args, isStatic });
        } catch (err) {
          if (!(err instanceof JavaMethodError)) throw err;
          const text = methodExceptionText(err, target.listing.class, call.method.name, sourceLine(target.listing.api, call.method));
          return encodeReply(
            new JavaJsonObject([
              ['type', 'exception'],
              ['value', text],
            ]),
          );
        }
        return this.serialize(result, call.method['return-type']);
      }
      case 'get-field': {
        const target = this.lookupOwn(required(request, 'hash-code'), 'getField');
        return this.serialize(target.getField(String(required(request, 'name'))));
      }
      case 'set-field': {
        const target = this.lookupOwn(required(request, 'hash-code'), 'setField');
        const name = String(required(request, 'name'));
        let value = required(request, 'value');
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'hash-code' in value) {
          value = this.objects.get(String((value as Record<string, unknown>)['hash-code'])) ?? null;
        }
        target.setField(name, value);
        return encodeReply(new JavaJsonObject([['type', 'none']]));
      }
      case 'destructor':
        this.objects.delete(String(required(request, 'hash-code')));
        return encodeReply(new JavaJsonObject([['type', 'none']]));
      default:
        throw new JavaServerError('java.lang.RuntimeException', 'Unknown Command', 'command');
    }
  }

  /** externalObjects_.get(hash) on this port; the real server then dereferences null. */
  private lookupOwn(hashCode: unknown, site: 'runMethod' | 'getField' | 'setField'): RemoteObject {
    const target = this.objects.get(String(hashCode));
    if (!target)
      throw new JavaServerError('java.lang.NullPointerException', 'Cannot invoke "Object.getClass()" because "obj" is null', site);
    return target;
  }

  /** getObjectKnownToServer: a reference argument may live on any of the bridge's ports. */
  private lookupAnywhere(hashCode: string): RemoteObject {
    for (const server of this.allServers()) {
      const object = server.objects.get(hashCode);
      if (object) return object;
    }
    throw new JavaServerError('java.lang.RuntimeException', `Object with Hash code ${hashCode} unknown to all ZMQ servers`, 'arguments');
  }

  private async openChildServer(): Promise<BridgeServer> {
    const child = new BridgeServer(this.registry, this);
    const basePort = this.root.port;
    for (let port = basePort + 1; port < Math.min(basePort + 200, 65536); port++) {
      if (this.allServers().some((s) => s.port === port)) continue;
      try {
        await child.listen(this.host, port);
        this.children.add(child);
        return child;
      } catch {
        // Port taken by someone else: try the next, as ZMQSocketWrapper.nextPortNumber does.
      }
    }
    await child.listen(this.host, 0);
    this.children.add(child);
    return child;
  }

  private serialize(value: JavaValue, returnType?: string): Buffer[] {
    switch (value.kind) {
      case 'none':
        return encodeReply(new JavaJsonObject([['type', 'none']]));
      case 'primitive': {
        const asDouble = typeof value.value === 'number' && (value.double || (returnType !== undefined && DOUBLE_TYPES.has(returnType)));
        return encodeReply(
          new JavaJsonObject([
            ['type', 'primitive'],
            ['value', asDouble ? new JavaDouble(value.value as number) : value.value],
          ]),
        );
      }
      case 'string':
        return encodeReply(
          new JavaJsonObject([
            ['type', 'string'],
            ['value', value.value],
          ]),
        );
      case 'json':
        return encodeReply(
          new JavaJsonObject([
            ['type', 'object'],
            ['class', 'JSONObject'],
            ['value', javaJsonText(value.value)],
          ]),
        );
      case 'array':
        return encodeArrayReply(value.arrayKind, value.bytes);
      case 'remote': {
        const hashCode = handOutHashCode(value.object);
        this.objects.set(hashCode, value.object);
        const { listing } = value.object;
        const parts = listingJson(listing);
        return encodeReply(
          new JavaJsonObject([
            ['type', 'unserialized-object'],
            ['class', listing.class],
            ['hash-code', hashCode],
            ['port', this.port],
            ['interfaces', parts.interfaces],
            ['fields', parts.fields],
            ['api', parts.api],
          ]),
        );
      }
    }
  }
}
