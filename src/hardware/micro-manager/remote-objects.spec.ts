import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BridgeRemoteError, BridgeRequestError } from './errors';
import { JavaObject, remoteObjectStats, toJavaResult } from './java-object';
import { readStrVector, readTaggedImage } from './remote-readers';
import { BridgeTransport } from './transport';
import { jsonPart, startScriptedServer, type ScriptedServer, type ServerAction } from './testing/scripted-server';

const vectorApi = [
  { name: 'size', arguments: [], 'return-type': 'int' },
  { name: 'get', arguments: ['int'], 'return-type': 'java.lang.String' },
];

/** A tiny object server: hands out StrVectors and TaggedImages with fresh hash codes and records destructors. */
function objectServer() {
  let handedOut = 0;
  const destroyed: string[] = [];
  const remote = (cls: string, api: unknown[], fields: string[] = []): ServerAction => ({
    reply: [
      jsonPart({
        type: 'unserialized-object',
        class: cls,
        'hash-code': `${cls}-${++handedOut}`,
        port: 0,
        interfaces: [cls, 'java.lang.Object'],
        fields,
        api,
      }),
    ],
  });
  const script = (request: Record<string, unknown>): ServerAction => {
    const hash = String(request['hash-code'] ?? '');
    const args = (request.arguments as unknown[] | undefined) ?? [];
    if (request.command === 'destructor') {
      destroyed.push(hash);
      return { reply: [jsonPart({ type: 'none' })] };
    }
    if (request.command === 'get-field' && request.name === 'pix') {
      const id = Buffer.alloc(4);
      id.writeInt32LE(0x1234, 0);
      return { reply: [jsonPart({ type: 'short-array', value: '[B@1234' }), id, Buffer.from(new Uint16Array([1, 2, 3, 4]).buffer)] };
    }
    if (request.command === 'get-field')
      return { reply: [jsonPart({ type: 'object', class: 'JSONObject', value: '{"Width":2,"Height":2}' })] };
    switch (request.name) {
      case 'getLoadedDevices':
        return remote('mmcorej.StrVector', vectorApi);
      case 'getTaggedImage':
        return remote('mmcorej.TaggedImage', [], ['pix', 'tags']);
      case 'size':
        return { reply: [jsonPart({ type: 'primitive', value: 3 })] };
      case 'get':
        return args[0] === 1 && hash.endsWith('-broken')
          ? { reply: [jsonPart({ type: 'exception', value: 'java.lang.ArrayIndexOutOfBoundsException: 1\n\tat x' })] }
          : { reply: [jsonPart({ type: 'string', value: `device ${String(args[0])}` })] };
      default:
        return { reply: [jsonPart({ type: 'exception', value: `java.lang.Exception: unknown ${String(request.name)}` })] };
    }
  };
  return { script, destroyed, handedOut: () => handedOut };
}

describe('remote objects', () => {
  let server: ScriptedServer;
  let objects: ReturnType<typeof objectServer>;
  let transport: BridgeTransport;
  let core: JavaObject;

  beforeEach(async () => {
    objects = objectServer();
    server = await startScriptedServer(objects.script);
    transport = new BridgeTransport({ endpoint: server.endpoint, timeoutMs: 2000, reconnectMaxDelayMs: 500 });
    const api = ['getLoadedDevices', 'getTaggedImage'].map((name) => ({ name, arguments: [], 'return-type': 'java.lang.Object' }));
    core = new JavaObject(transport, {
      type: 'unserialized-object',
      class: 'mmcorej.CMMCore',
      'hash-code': 'core',
      interfaces: [],
      fields: [],
      api,
    });
  });

  afterEach(() => {
    transport.close();
    server.close();
  });

  it('reads a StrVector into string[] and releases the vector', async () => {
    const vector = await core.invoke('getLoadedDevices');
    expect(await readStrVector(vector, 'getLoadedDevices', server.endpoint)).toEqual(['device 0', 'device 1', 'device 2']);
    expect(vector instanceof JavaObject && vector.isReleased).toBe(true);
    expect(objects.destroyed).toEqual(['mmcorej.StrVector-1']);
    await expect((vector as JavaObject).invoke('size')).rejects.toThrow(BridgeRequestError);
    await expect((vector as JavaObject).invoke('size')).rejects.toThrow(/size: this mmcorej.StrVector was released/);
  });

  it('releases the vector even when reading it fails half way', async () => {
    const reply = await transport.request({ command: 'run-method', name: 'getLoadedDevices' }, 'getLoadedDevices');
    const vector = toJavaResult(transport, reply, 'getLoadedDevices') as JavaObject;
    const broken = new JavaObject(transport, { ...vector.reference, 'hash-code': `${vector.hashCode}-broken` });
    await vector.release();
    await expect(readStrVector(broken, 'getLoadedDevices', server.endpoint)).rejects.toThrow(BridgeRemoteError);
    expect(objects.destroyed).toEqual(['mmcorej.StrVector-1', 'mmcorej.StrVector-1-broken']);
  });

  it('reads a TaggedImage through its fields and releases it; release is sent once', async () => {
    const image = await core.invoke('getTaggedImage');
    const { pix, tags } = await readTaggedImage(image, 'getTaggedImage', server.endpoint);
    expect([...pix]).toEqual([1, 2, 3, 4]);
    expect(tags).toEqual({ Width: 2, Height: 2 });
    await (image as JavaObject).release();
    expect(objects.destroyed).toEqual(['mmcorej.TaggedImage-1']);
  });

  it('sends the destructor for objects garbage-collected without release()', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const before = remoteObjectStats.releasedByFinalizer;
    // Handed out and dropped at once, never released by hand.
    for (let i = 0; i < 3; i++) await core.invoke('getTaggedImage');
    for (let attempt = 0; attempt < 50 && objects.destroyed.length < 3; attempt++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect([...objects.destroyed].sort()).toEqual(['mmcorej.TaggedImage-1', 'mmcorej.TaggedImage-2', 'mmcorej.TaggedImage-3']);
    expect(remoteObjectStats.releasedByFinalizer - before).toBe(3);
  });
});
