import * as zmq from 'zeromq';
import { startSimulatorChild } from '../../../test/support/simulator-child';
import {
  BridgeDisconnectedError,
  BridgeProtocolError,
  BridgeRequestError,
  BridgeTimeoutError,
  connectMicroManager,
  JavaObject,
} from './index';

type Behaviour = 'answer' | 'silent' | 'garbage' | 'extra-parts' | 'unknown-type' | 'bad-array-id';

/**
 * A deliberately broken bridge server: a ROUTER socket answering like Micro-Manager's server, except for the
 * method the test names, which it answers badly or not at all.
 */
async function brokenServer(misbehave: Record<string, Behaviour>) {
  const socket = new zmq.Router({ linger: 0 });
  await socket.bind('tcp://127.0.0.1:*');
  const endpoint = socket.lastEndpoint!;
  const api = ['getVersionInfo', 'getCameraDevice', 'getImage', 'getProperty'].map((name) => ({
    name,
    arguments: name === 'getProperty' ? ['java.lang.String', 'java.lang.String'] : [],
    'return-type': 'java.lang.String',
  }));
  const requests: string[] = [];
  void (async () => {
    try {
      for await (const [identity, empty, body] of socket) {
        const request = JSON.parse(body.toString('latin1')) as Record<string, unknown>;
        const name = String(request.name ?? request.command);
        requests.push(name);
        const send = (...parts: Array<Buffer | string>) => socket.send([identity, empty, ...parts]);
        const json = (value: unknown) => send(JSON.stringify(value));
        switch (misbehave[name] ?? 'answer') {
          case 'silent':
            break;
          case 'garbage':
            await send('this is not json {');
            break;
          case 'extra-parts':
            await send(JSON.stringify({ type: 'string', value: 'x' }), Buffer.alloc(4), Buffer.alloc(8));
            break;
          case 'unknown-type':
            await json({ type: 'banana', value: 1 });
            break;
          case 'bad-array-id': {
            const id = Buffer.alloc(4);
            id.writeInt32LE(7, 0);
            await send(JSON.stringify({ type: 'short-array', value: '[B@8' }), id, Buffer.alloc(8));
            break;
          }
          default:
            if (request.command === 'connect') await json({ type: 'none', version: '5.1.0' });
            else if (request.command === 'constructor')
              await json({
                'hash-code': 'abc',
                interfaces: ['mmcorej.CMMCore'],
                port: 0,
                api,
                type: 'unserialized-object',
                fields: [],
                class: 'mmcorej.CMMCore',
              });
            else await json({ type: 'string', value: `answer to ${name}` });
        }
      }
    } catch {
      // closed
    }
  })();
  return { endpoint, requests, close: () => socket.close() };
}

describe('bridge faults', () => {
  it('turns a reply that is not JSON into a protocol error and stays in lock-step for the next call', async () => {
    const server = await brokenServer({ getCameraDevice: 'garbage' });
    const core = connectMicroManager({ endpoint: server.endpoint, timeoutMs: 2000 });
    try {
      expect(await core.getVersionInfo()).toBe('answer to getVersionInfo');
      const failure = core.getCameraDevice();
      await expect(failure).rejects.toBeInstanceOf(BridgeProtocolError);
      await expect(failure).rejects.toThrow(/getCameraDevice on tcp:\/\/127\.0\.0\.1:\d+: reply is not JSON/);
      expect(await core.getVersionInfo()).toBe('answer to getVersionInfo');
    } finally {
      await core.close();
      server.close();
    }
  });

  it.each<[Behaviour, RegExp]>([
    ['extra-parts', /carries no binary parts/],
    ['unknown-type', /breaks the protocol at type/],
  ])('rejects a reply with %s as a protocol error', async (behaviour, message) => {
    const server = await brokenServer({ getCameraDevice: behaviour });
    const core = connectMicroManager({ endpoint: server.endpoint, timeoutMs: 2000 });
    try {
      await expect(core.getCameraDevice()).rejects.toThrow(message);
      expect(await core.getVersionInfo()).toBe('answer to getVersionInfo');
    } finally {
      await core.close();
      server.close();
    }
  });

  it('rejects an array whose identifier does not match its placeholder', async () => {
    const server = await brokenServer({ getImage: 'bad-array-id' });
    const core = connectMicroManager({ endpoint: server.endpoint, timeoutMs: 2000 });
    const session = core as unknown as { session: { call(name: string): Promise<unknown> } };
    try {
      await expect(session.session.call('getImage')).rejects.toThrow(/does not match placeholder/);
    } finally {
      await core.close();
      server.close();
    }
  });

  it('times out a call with no reply, naming the method, endpoint and time, then recovers', async () => {
    const server = await brokenServer({ getCameraDevice: 'silent' });
    const core = connectMicroManager({ endpoint: server.endpoint, timeoutMs: 300 });
    try {
      await core.getVersionInfo();
      const failure = core.getCameraDevice();
      await expect(failure).rejects.toBeInstanceOf(BridgeTimeoutError);
      await expect(failure).rejects.toThrow(`getCameraDevice on ${server.endpoint} gave no reply in 300 ms`);
      expect(await core.getVersionInfo()).toBe('answer to getVersionInfo');
    } finally {
      await core.close();
      server.close();
    }
  });

  it('refuses to send a string with @ beside binary arguments, which would wedge the real server', async () => {
    const server = await brokenServer({});
    const core = connectMicroManager({ endpoint: server.endpoint, timeoutMs: 2000 });
    try {
      await core.getVersionInfo();
      const coreObject = await (core as unknown as { session: { getCore(): Promise<JavaObject> } }).session.getCore();
      const reference = {
        ...coreObject.reference,
        api: [...coreObject.reference.api, { name: 'put', arguments: ['java.lang.String', 'short[]'], 'return-type': 'void' }],
      };
      const widened = new JavaObject((core as unknown as { transport: never }).transport, reference);
      await expect(widened.call('put', 'user@lab', new Uint16Array(4))).rejects.toBeInstanceOf(BridgeRequestError);
      expect(server.requests).not.toContain('put');
      expect(await core.getVersionInfo()).toBe('answer to getVersionInfo');
    } finally {
      await core.close();
      server.close();
    }
  });

  it('fails fast while the simulator is down mid-sequence and reconnects when it restarts', async () => {
    const sim = await startSimulatorChild();
    const core = connectMicroManager({ endpoint: sim.endpoint, timeoutMs: 2000, reconnectMaxDelayMs: 200 });
    try {
      await core.setExposure(5);
      await core.startContinuousSequenceAcquisition(0);
      await new Promise((r) => setTimeout(r, 100));
      expect(await core.getRemainingImageCount()).toBeGreaterThan(0);
      await sim.kill();
      await expect(core.getRemainingImageCount()).rejects.toBeInstanceOf(BridgeDisconnectedError);
      await expect(core.getVersionInfo()).rejects.toThrow(/not reachable|went away/);
      await sim.restart();
      await core.waitConnected(10_000);
      expect(await core.isSequenceRunning()).toBe(false);
      expect(await core.getCameraDevice()).toBe('Camera');
      await core.snapImage();
      expect((await core.getImage()).pixels.length).toBe(512 * 512);
    } finally {
      await core.close();
      await sim.stop();
    }
  });
});
