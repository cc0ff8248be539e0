import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as zmq from 'zeromq';
import { startMicroManagerSimulator, type RunningMicroManagerSimulator } from './index';

const TRANSCRIPT = resolve(__dirname, '../../../shared/data/micro-manager/bridge-transcript-real.jsonl');

interface Entry {
  dir: 'request' | 'reply';
  json: Record<string, unknown>;
  binary: Array<{ id_le_int32: number; nbytes: number }>;
}

const entries: Entry[] = readFileSync(TRANSCRIPT, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Entry);

/** A raw REQ client written here, not the project's bridge client. */
async function request(
  socket: zmq.Request,
  json: Record<string, unknown>,
): Promise<{ json: Record<string, unknown>; text: string; parts: Buffer[] }> {
  await socket.send(JSON.stringify(json));
  const parts = (await socket.receive()) as Buffer[];
  const text = parts[0].toString('latin1');
  return { json: JSON.parse(text) as Record<string, unknown>, text, parts };
}

/** Replies whose values depend on when the camera delivers frames. */
const timingDependent = (request: Record<string, unknown>) => request.name === 'getRemainingImageCount';

const HASH_CODE = /^[0-9a-f]{1,8}[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the simulated Micro-Manager answers the recorded session as the real server did', () => {
  let sim: RunningMicroManagerSimulator;
  let socket: zmq.Request;

  beforeAll(async () => {
    // The recording ran against the plain demo configuration (no LED), whose XY stage moves in 0.015 µm steps.
    sim = await startMicroManagerSimulator({ port: 0, lightSource: null, xyStepUm: 0.015, zStepUm: 0.025 });
    // The recorded server had run this session once before: its state cache shows the FITC labels (with the
    // filter wheels' State entries stale at 0), which a fresh core reaches by the same setConfig.
    sim.core.setConfig('Channel', 'FITC');
    socket = new zmq.Request({ receiveTimeout: 10_000, linger: 0 });
    socket.connect(sim.endpoint);
  });

  afterAll(async () => {
    socket.close();
    await sim.close();
  });

  it('replays all 131 requests with replies of the same type, keys, listings and deterministic values', async () => {
    // Hash-codes differ per hand-out: map the recorded ones onto ours as the replies come.
    const hashes = new Map<string, string>();
    const ours = (recorded: unknown) => hashes.get(String(recorded)) ?? String(recorded);
    let compared = 0;
    for (let i = 0; i < entries.length; i += 2) {
      const recordedRequest = entries[i].json;
      const recorded = entries[i + 1];
      const sent: Record<string, unknown> = { ...recordedRequest };
      if ('hash-code' in sent) sent['hash-code'] = ours(sent['hash-code']);
      if (sent.name === 'popNextTaggedImage') await waitForFrame(socket, ours(recordedRequest['hash-code']));
      const reply = await request(socket, sent);
      const expected = recorded.json;
      const what = `request ${i}: ${String(recordedRequest.command)} ${String(recordedRequest.name ?? '')}`;
      expect({ what, type: reply.json.type }).toEqual({ what, type: expected.type });
      // Same keys in the same order: the real server writes them in java.util.HashMap order.
      expect({ what, keys: Object.keys(reply.json) }).toEqual({ what, keys: Object.keys(expected) });
      switch (expected.type) {
        case 'unserialized-object':
          hashes.set(String(expected['hash-code']), String(reply.json['hash-code']));
          expect(String(reply.json['hash-code'])).toMatch(HASH_CODE);
          expect({ ...reply.json, 'hash-code': '', port: 0 }).toEqual({ ...expected, 'hash-code': '', port: 0 });
          expect(reply.json.port).toBe(sim.port);
          break;
        case 'short-array':
        case 'byte-array': {
          const placeholder = String(reply.json.value);
          expect(placeholder).toMatch(/^\[B@[0-9a-f]{1,8}$/);
          expect(reply.parts).toHaveLength(3);
          expect(reply.parts[1].readInt32LE(0)).toBe(parseInt(placeholder.slice(3), 16));
          expect(reply.parts[2].length).toBe(recorded.binary[0].nbytes);
          break;
        }
        case 'object':
          // Every tag, its value and the order of the keys, character for character.
          expect(reply.json).toEqual(expected);
          break;
        case 'exception':
          expect(reply.json.value).toBe(expected.value);
          break;
        default:
          if (!timingDependent(recordedRequest)) expect({ what, reply: reply.json }).toEqual({ what, reply: expected });
      }
      compared++;
    }
    expect(compared).toBe(131);
  });
});

/** The recorded client polled until a frame was there; our replay runs faster than the camera. */
async function waitForFrame(socket: zmq.Request, coreHash: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const count = await request(socket, {
      command: 'run-method',
      static: false,
      'hash-code': coreHash,
      name: 'getRemainingImageCount',
      'argument-types': [],
      'argument-deserialization-types': [],
      arguments: [],
    });
    if (Number(count.json.value) > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no frame arrived in the sequence');
}
