/**
 * A raw bridge client for tests: plain zeromq REQ, JSON as pycro-manager's client sends it. Deliberately not
 * the project's client (src/hardware/micro-manager), so the simulator is checked against the protocol itself.
 */
import * as zmq from 'zeromq';

/** JSON as Python's json.dumps writes it: ASCII, everything else as \u escapes. */
function asciiJson(value: unknown): Buffer {
  const text = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(text, 'ascii');
}

export interface RawReply {
  readonly json: Record<string, unknown>;
  readonly text: string;
  readonly parts: Buffer[];
}

export class RawBridgeClient {
  private socket: zmq.Request;

  constructor(readonly endpoint: string) {
    this.socket = new zmq.Request({ receiveTimeout: 10_000, linger: 0 });
    this.socket.connect(endpoint);
  }

  async send(message: Record<string, unknown> | Buffer | Buffer[]): Promise<RawReply> {
    const parts = Buffer.isBuffer(message) ? [message] : Array.isArray(message) ? message : [asciiJson(message)];
    await this.socket.send(parts);
    const reply = (await this.socket.receive()) as Buffer[];
    const text = reply[0].toString('latin1');
    return { json: JSON.parse(text) as Record<string, unknown>, text, parts: reply };
  }

  /** The running CMMCore's hash-code. */
  async core(): Promise<string> {
    const reply = await this.send({
      command: 'constructor',
      classpath: 'mmcorej.CMMCore',
      'argument-types': [],
      'argument-deserialization-types': [],
      arguments: [],
    });
    return String(reply.json['hash-code']);
  }

  /** run-method with Java parameter types; arguments given as JSON values. */
  run(hashCode: string, name: string, types: readonly string[] = [], args: readonly unknown[] = []): Promise<RawReply> {
    return this.send({
      command: 'run-method',
      static: false,
      'hash-code': hashCode,
      name,
      'argument-types': types,
      'argument-deserialization-types': types,
      arguments: args,
    });
  }

  /** run-method whose reply must not be an exception; returns its `value` (or the whole reply for objects). */
  async call(hashCode: string, name: string, types: readonly string[] = [], args: readonly unknown[] = []): Promise<RawReply> {
    const reply = await this.run(hashCode, name, types, args);
    if (reply.json.type === 'exception') throw new Error(`${name} failed: ${String(reply.json.value).split('\n')[0]}`);
    return reply;
  }

  /** A StrVector's elements. */
  async strings(vectorHash: string): Promise<string[]> {
    const size = Number((await this.call(vectorHash, 'size')).json.value);
    const out: string[] = [];
    for (let i = 0; i < size; i++) out.push(String((await this.call(vectorHash, 'get', ['int'], [i])).json.value));
    await this.send({ command: 'destructor', 'hash-code': vectorHash });
    return out;
  }

  close(): void {
    this.socket.close();
  }
}
