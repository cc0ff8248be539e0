import { randomBytes } from 'node:crypto';
import * as zmq from 'zeromq';
import { JavaExceptionError } from './java-objects';
import type { JavaValue, RemoteObject } from './remote-values';
import { CoreError } from './sim-device';
import { WireError, decodeRequest, encodeReply } from './wire';

export const SERVER_VERSION = '5.1.0';

/** A fresh hash-code in the real server's shape: 16 hex digits, then the tail of a UUID. */
function newHashCode(): string {
  const hex = randomBytes(16).toString('hex');
  return `${randomBytes(8).toString('hex')}-${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 24)}`;
}

const STACK_TAIL = [
  'java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
  'java.base/java.lang.reflect.Method.invoke(Method.java:569)',
  'org.micromanager.pyjavaz.ZMQServer.runMethod(ZMQServer.java:454)',
  'org.micromanager.pyjavaz.ZMQServer.parseAndExecuteCommand(ZMQServer.java:536)',
  'java.base/java.lang.Thread.run(Thread.java:840)',
];

function exceptionReply(err: unknown, method?: string): Record<string, unknown> {
  let head: string;
  if (err instanceof CoreError) head = `java.lang.Exception: ${err.message}`;
  else if (err instanceof JavaExceptionError) head = `${err.javaClass}: ${err.message}`;
  else if (err instanceof WireError) head = `java.lang.RuntimeException: ${err.message}`;
  else head = `java.lang.Exception: ${(err as Error)?.message ?? String(err)}`;
  const frames = method ? [`mmcorej.MMCoreJJNI.CMMCore_${method}(Native Method)`, `mmcorej.CMMCore.${method}(CMMCore.java)`] : [];
  return { type: 'exception', value: [head, ...frames, ...STACK_TAIL].join('\n') + '\n' };
}

export interface Constructible {
  readonly classpath: string;
  create(): RemoteObject;
}

/**
 * The reflection server of Micro-Manager's bridge: a REP socket answering connect, get-constructors,
 * constructor, run-method, get-field, set-field and destructor, one request at a time.
 */
export class BridgeServer {
  private readonly socket = new zmq.Reply({ linger: 0 });
  private readonly objects = new Map<string, RemoteObject>();
  private port = 0;
  private loop?: Promise<void>;
  requestsServed = 0;

  constructor(private readonly constructibles: readonly Constructible[]) {}

  get liveObjects(): number {
    return this.objects.size;
  }

  async listen(host: string, port: number): Promise<number> {
    await this.socket.bind(`tcp://${host}:${port === 0 ? '*' : port}`);
    const endpoint = this.socket.lastEndpoint ?? '';
    this.port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
    this.loop = this.serve();
    return this.port;
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.loop?.catch(() => undefined);
  }

  private async serve(): Promise<void> {
    try {
      for await (const parts of this.socket) {
        const reply = await this.handle(parts as Buffer[]);
        this.requestsServed++;
        await this.socket.send(reply);
      }
    } catch (err) {
      if (!this.socket.closed) throw err;
    }
  }

  private async handle(parts: Buffer[]): Promise<Buffer[]> {
    let method: string | undefined;
    try {
      const { json, arrays } = decodeRequest(parts);
      method = typeof json.name === 'string' ? json.name : undefined;
      return await this.dispatch(json, arrays);
    } catch (err) {
      return encodeReply(exceptionReply(err, method));
    }
  }

  private async dispatch(json: Record<string, unknown>, arrays: Map<string, Buffer>): Promise<Buffer[]> {
    switch (json.command) {
      case 'connect':
        return encodeReply({ type: 'none', version: SERVER_VERSION });
      case 'get-constructors': {
        const target = this.constructible(json.classpath);
        return encodeReply({ api: [{ name: target.classpath, arguments: [] }], type: 'none' });
      }
      case 'constructor': {
        const target = this.constructible(json.classpath);
        const args = json.arguments;
        if (Array.isArray(args) && args.length > 0) {
          throw new JavaExceptionError('java.lang.NoSuchMethodException', `${target.classpath} has no constructor with ${args.length} arguments`);
        }
        return this.serialize({ kind: 'remote', object: target.create() });
      }
      case 'run-method': {
        const target = this.lookup(json['hash-code']);
        const name = String(json.name);
        const types = Array.isArray(json['argument-types']) ? (json['argument-types'] as unknown[]).map(String) : [];
        const args = Array.isArray(json.arguments) ? (json.arguments as unknown[]) : [];
        if (args.length !== types.length) throw new WireError(`${name}: ${types.length} argument types for ${args.length} arguments`);
        const declared = target.listing.api.some((m) => m.name === name && m.arguments.join(',') === types.join(','));
        if (!declared) {
          throw new JavaExceptionError('java.lang.NoSuchMethodException', `${target.listing.class}.${name}(${types.join(', ')})`);
        }
        const values = args.map((value, i) => this.deserialize(value, types[i], arrays, name));
        return this.serialize(await target.call(`${name}(${types.join(',')})`, values));
      }
      case 'get-field':
        return this.serialize(this.lookup(json['hash-code']).field(String(json.name)));
      case 'set-field':
        this.lookup(json['hash-code']);
        throw new JavaExceptionError('java.lang.IllegalAccessException', `field ${String(json.name)} is final`);
      case 'destructor':
        this.objects.delete(String(json['hash-code']));
        return encodeReply({ type: 'none' });
      case 'get-class':
        throw new JavaExceptionError('java.lang.UnsupportedOperationException', 'static calls are not implemented by the simulator');
      default:
        throw new JavaExceptionError('java.lang.Exception', 'Unknown Command');
    }
  }

  private constructible(classpath: unknown): Constructible {
    const target = this.constructibles.find((c) => c.classpath === classpath);
    if (!target) throw new JavaExceptionError('java.lang.ClassNotFoundException', String(classpath));
    return target;
  }

  private lookup(hashCode: unknown): RemoteObject {
    const target = this.objects.get(String(hashCode));
    if (!target) throw new JavaExceptionError('java.lang.NullPointerException', 'Cannot invoke a method on an object the server does not hold');
    return target;
  }

  private deserialize(value: unknown, type: string, arrays: Map<string, Buffer>, method: string): unknown {
    const bad = () => new JavaExceptionError('java.lang.IllegalArgumentException', `${method}: argument type mismatch (${JSON.stringify(value)} for ${type})`);
    switch (type) {
      case 'int':
      case 'long':
      case 'short':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw bad();
        return value;
      case 'double':
      case 'float':
        if (typeof value !== 'number') throw bad();
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw bad();
        return value;
      case 'java.lang.String':
        if (typeof value !== 'string') throw bad();
        return value;
      default:
        if (typeof value === 'string' && arrays.has(value)) return arrays.get(value);
        if (typeof value === 'object' && value !== null && 'hash-code' in value) return this.lookup((value as Record<string, unknown>)['hash-code']);
        return value;
    }
  }

  private serialize(value: JavaValue): Buffer[] {
    switch (value.kind) {
      case 'none':
        return encodeReply({ type: 'none' });
      case 'primitive':
        return encodeReply({ type: 'primitive', value: value.value });
      case 'string':
        return encodeReply({ type: 'string', value: value.value });
      case 'json':
        return encodeReply({ type: 'object', class: 'JSONObject', value: JSON.stringify(value.value) });
      case 'array':
        return encodeReply({}, { kind: value.arrayKind, bytes: value.bytes });
      case 'remote': {
        const hashCode = newHashCode();
        this.objects.set(hashCode, value.object);
        const { listing } = value.object;
        return encodeReply({
          'hash-code': hashCode,
          interfaces: listing.interfaces,
          port: this.port,
          api: listing.api,
          type: 'unserialized-object',
          fields: listing.fields,
          class: listing.class,
        });
      }
    }
  }
}
