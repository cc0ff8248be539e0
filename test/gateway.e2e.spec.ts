import request from 'supertest';
import { Subject } from 'rxjs';
import type { Server } from 'node:http';
import { startSimulatedApp, type RunningApp } from './support/start-app';
import {
  connected,
  emitWithReply,
  LIMITED_TOKEN,
  OPERATOR_TOKEN,
  socketFor,
  TOKENS_CONFIG,
  VIEWER_TOKEN,
  waitFor,
} from './support/gateway-clients';
import { StreamsRegistry } from '../src/gateway/streams/streams.registry';
import type { StreamImage } from '../src/gateway/streams/stream-types';

const ALLOWED_ORIGIN = 'http://lab-portal.test:8443';
const RATE_LIMIT = 40;

describe('the gateway with tokens (REST and socket.io)', () => {
  let running: RunningApp;
  let server: Server;
  const viewer = `Bearer ${VIEWER_TOKEN}`;
  const operator = `Bearer ${OPERATOR_TOKEN}`;

  beforeAll(async () => {
    running = await startSimulatedApp({
      server: { ...TOKENS_CONFIG, corsOrigins: [ALLOWED_ORIGIN], rateLimit: { windowS: 600, maxRequests: RATE_LIMIT } },
      simulation: { cameraWidthPx: 128, cameraHeightPx: 96, serialLightSource: false },
    });
    server = running.app.getHttpServer() as Server;
    await waitFor(
      async () => {
        const health = await request(server).get('/api/health').set('Authorization', operator);
        return health.body.devices?.length > 0 ? true : undefined;
      },
      30_000,
      'the simulated microscope',
    );
  }, 60_000);

  afterAll(async () => {
    await running?.close();
  });

  describe('REST', () => {
    it('answers 401 without a token or with an unknown one, naming what is missing', async () => {
      const none = await request(server).get('/api/health');
      expect(none.status).toBe(401);
      expect(none.body.message).toMatch(/token is required/);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      const wrong = await request(server).get('/api/devices').set('Authorization', 'Bearer not-a-real-token-000000');
      expect(wrong.status).toBe(401);
      expect(JSON.stringify(wrong.body)).not.toContain('not-a-real-token');
    });

    it('lets a viewer read but answers 403 to its control requests, before looking at the body', async () => {
      expect((await request(server).get('/api/devices').set('Authorization', viewer)).status).toBe(200);
      expect((await request(server).get('/api/stage').set('Authorization', viewer)).status).toBe(200);
      const move = await request(server).post('/api/stage/xy').set('Authorization', viewer).send({ xUm: 5, yUm: 5 });
      expect(move.status).toBe(403);
      expect(move.body.message).toMatch(/viewer/);
      expect((await request(server).post('/api/acquisitions').set('Authorization', viewer).send({})).status).toBe(403);
      expect((await request(server).put('/api/illumination/channels/0').set('Authorization', viewer).send({ on: true })).status).toBe(403);
      expect((await request(server).post('/api/agent/on').set('Authorization', viewer)).status).toBe(403);
      // Previewing a plan changes nothing, so a viewer may.
      expect(
        (
          await request(server)
            .post('/api/plans/preview')
            .set('Authorization', viewer)
            .send({ time_plan: { interval: 0, loops: 2 } })
        ).status,
      ).toBe(200);
    });

    it('answers 400 naming the field for bad input, and moves the stage for an operator', async () => {
      const bad = await request(server).post('/api/stage/xy').set('Authorization', operator).send({ xUm: 'left', yUm: 1 });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^xUm: /);
      const far = await request(server).post('/api/stage/z').set('Authorization', operator).send({ zUm: 1e9 });
      expect(far.status).toBe(400);
      expect(far.body.issues[0].field).toBe('zUm');
      const extra = await request(server).post('/api/stage/z').set('Authorization', operator).send({ zUm: 1, speed: 3 });
      expect(extra.status).toBe(400);
      expect(extra.body.message).toMatch(/speed/);
      const moved = await request(server).post('/api/stage/xy').set('Authorization', operator).send({ xUm: 12.5, yUm: -3 });
      expect(moved.status).toBe(200);
      expect(moved.body.xy).toMatchObject({ xUm: 12.5, yUm: -3 });
      const relative = await request(server).post('/api/stage/xy').set('Authorization', operator).send({ xUm: 1, yUm: 1, relative: true });
      expect(relative.body.xy).toMatchObject({ xUm: 13.5, yUm: -2 });
    });

    it('reads and sets device properties, refusing unknown devices and bad values, holding light within the limit', async () => {
      const list = await request(server).get('/api/devices/Camera/properties').set('Authorization', viewer);
      expect(list.status).toBe(200);
      expect(list.body.properties.map((p: { name: string }) => p.name)).toContain('Exposure');
      expect((await request(server).get('/api/devices/NoSuchDevice/properties/Exposure').set('Authorization', viewer)).status).toBe(404);
      const noValue = await request(server)
        .put('/api/devices/Camera/properties/Exposure')
        .set('Authorization', operator)
        .send({ exposure: 12 });
      expect(noValue.status).toBe(400);
      expect(noValue.body.message).toMatch(/value/);
      const set = await request(server).put('/api/devices/Camera/properties/Exposure').set('Authorization', operator).send({ value: 12 });
      expect(set.status).toBe(200);
      expect(Number(set.body.value)).toBe(12);
      const light = await request(server).put('/api/devices/LED/properties/Intensity').set('Authorization', operator).send({ value: 100 });
      expect(light.status).toBe(200);
      expect(Number(light.body.value)).toBe(80);
    });

    it('changes illumination only through the envelope, which clamps to the configured maximum', async () => {
      const reply = await request(server).put('/api/illumination/channels/0').set('Authorization', operator).send({ powerPercent: 100 });
      expect(reply.status).toBe(200);
      expect(reply.body.applied.powerPercent).toBe(running.config.safety.light.maxPowerPercent);
      const bad = await request(server).put('/api/illumination/channels/x').set('Authorization', operator).send({ on: true });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^index/);
      const empty = await request(server).put('/api/illumination/channels/0').set('Authorization', operator).send({});
      expect(empty.status).toBe(400);
      expect((await request(server).post('/api/illumination/off').set('Authorization', operator)).status).toBe(200);
    });

    it('documents the API at /api/docs without a token', async () => {
      expect((await request(server).get('/api/docs')).status).toBe(200);
      const doc = await request(server).get('/api/docs-json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/stage/xy',
          '/api/devices/{label}/properties/{name}',
          '/api/illumination/channels/{index}',
          '/api/acquisitions',
          '/api/health',
        ]),
      );
      expect(doc.body.paths['/api/stage/xy'].post.requestBody.content['application/json'].schema.required).toEqual(['xUm', 'yUm']);
    });

    it('serves CORS only to allowed origins and refuses pages from other sites', async () => {
      const preflight = await request(server)
        .options('/api/stage/xy')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      const allowed = await request(server).get('/api/devices').set('Origin', ALLOWED_ORIGIN).set('Authorization', viewer);
      expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      const foreign = await request(server)
        .post('/api/stage/xy')
        .set('Origin', 'http://evil.test')
        .set('Authorization', operator)
        .send({ xUm: 0, yUm: 0 });
      expect(foreign.status).toBe(403);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers 429 with Retry-After once a client exceeds its rate, other clients unaffected', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT + 2; i++)
        statuses.push((await request(server).get('/api/devices').set('Authorization', `Bearer ${LIMITED_TOKEN}`)).status);
      expect(statuses.slice(0, RATE_LIMIT).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(RATE_LIMIT)).toEqual([429, 429]);
      const limited = await request(server).get('/api/devices').set('Authorization', `Bearer ${LIMITED_TOKEN}`);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await request(server).get('/api/devices').set('Authorization', viewer)).status).toBe(200);
    });
  });

  describe('socket.io', () => {
    it('refuses a socket without a token or with a wrong one', async () => {
      const anonymous = socketFor(running.url);
      const wrong = socketFor(running.url, 'wrong-token-000000000000');
      try {
        await expect(connected(anonymous)).rejects.toThrow(/^401/);
        await expect(connected(wrong)).rejects.toThrow(/^401: the token is not valid/);
      } finally {
        anonymous.close();
        wrong.close();
      }
    });

    it('lets a viewer watch but not control; an operator controls with validated messages', async () => {
      const viewerSocket = socketFor(running.url, VIEWER_TOKEN);
      const operatorSocket = socketFor(running.url, OPERATOR_TOKEN);
      try {
        const hello = new Promise<{ role: string }>((resolve) => viewerSocket.once('hello', resolve));
        await Promise.all([connected(viewerSocket), connected(operatorSocket)]);
        expect(await hello).toMatchObject({ role: 'viewer' });
        const refused = await emitWithReply<{ ok: boolean; status: number }>(viewerSocket, 'control', { action: 'light.allOff' });
        expect(refused).toMatchObject({ ok: false, status: 403 });
        expect(await emitWithReply(viewerSocket, 'view', { maxSizePx: 64 })).toMatchObject({ ok: true, result: { maxSizePx: 64 } });
        const bad = await emitWithReply<{ ok: boolean; status: number; message: string }>(operatorSocket, 'control', {
          action: 'acquisition.pause',
        });
        expect(bad).toMatchObject({ ok: false, status: 400 });
        expect(bad.message).toMatch(/acquisitionId/);
        expect(await emitWithReply(operatorSocket, 'control', { action: 'acquisition.cancel', acquisitionId: 'nope' })).toMatchObject({
          ok: false,
          status: 404,
        });
      } finally {
        viewerSocket.close();
        operatorSocket.close();
      }
    });

    it('keeps feeding a fast client while a slow one never acknowledges', async () => {
      const slow = socketFor(running.url, VIEWER_TOKEN);
      const fast = socketFor(running.url, VIEWER_TOKEN);
      const slowFrames: number[] = [];
      const fastFrames: number[] = [];
      slow.on('frame', (message: { sequence: number }) => slowFrames.push(message.sequence));
      fast.on('frame', (message: { sequence: number }, ack: () => void) => {
        fastFrames.push(message.sequence);
        ack();
      });
      try {
        await Promise.all([connected(slow), connected(fast)]);
        await waitFor(() => (fastFrames.length >= 8 ? true : undefined), 30_000, 'eight frames at the fast client');
        expect(slowFrames).toHaveLength(1);
        expect(fastFrames[7]).toBeGreaterThan(fastFrames[0]);
      } finally {
        slow.close();
        fast.close();
      }
    });

    it('forwards any registered image stream with its quality figure beside raw, and drops it when unregistered', async () => {
      const registry = running.app.get(StreamsRegistry);
      const denoised = new Subject<StreamImage>();
      const socket = socketFor(running.url, VIEWER_TOKEN);
      const catalogs: Array<{ images: Array<{ name: string; kind: string }> }> = [];
      const frames: Array<{
        stream: string;
        kind: string;
        sequence: number;
        quality: unknown;
        width: number;
        pixels: Buffer;
        overlay: Buffer | null;
      }> = [];
      socket.on('streams', (catalog) => catalogs.push(catalog));
      socket.on('frame', (message, ack: () => void) => {
        frames.push(message);
        ack();
      });
      const unregister = registry.registerImageStream('denoised', 'denoised', denoised, 'CARE');
      try {
        await connected(socket);
        await waitFor(() => catalogs.find((c) => c.images.some((i) => i.name === 'denoised')), 10_000, 'the catalog with denoised');
        const pixels = new Float32Array(32 * 16).map((_, i) => i);
        const qualityMap = { pixels: new Uint8Array(32 * 16).fill(7), width: 32, height: 16 };
        denoised.next({
          pixels,
          width: 32,
          height: 16,
          sourceSequence: 41,
          quality: { name: 'PSNR', value: 31.5, unit: 'dB' },
          qualityMap,
        });
        const sent = await waitFor(() => frames.find((f) => f.stream === 'denoised'), 10_000, 'a denoised frame');
        expect(sent).toMatchObject({ kind: 'denoised', sequence: 41, width: 32, quality: { name: 'PSNR', value: 31.5, unit: 'dB' } });
        expect(Buffer.from(sent.pixels).byteLength).toBe(32 * 16);
        expect(Buffer.from(sent.overlay!).byteLength).toBe(32 * 16);
        await waitFor(() => frames.find((f) => f.stream === 'raw'), 10_000, 'a raw frame on the same socket');
        unregister();
        await waitFor(
          () => (catalogs.length > 0 && !catalogs[catalogs.length - 1].images.some((i) => i.name === 'denoised') ? true : undefined),
          10_000,
          'the catalog without denoised',
        );
      } finally {
        socket.close();
        unregister();
      }
    });
  });
});
