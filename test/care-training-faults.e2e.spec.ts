import type { Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { simulatedAppPerSuite } from './support/start-app';
import { structured, writePlane } from './support/care-data';

const W = 48;
const H = 48;

describe('training requests with bad data get a clear 400 and leave the service running', () => {
  const running = simulatedAppPerSuite('scope-care-faults-', {
    simulation: { cameraWidthPx: 32, cameraHeightPx: 32, serialLightSource: false },
  });
  const server = () => running.app.getHttpServer() as Server;
  const train = (body: Record<string, unknown>) =>
    request(server())
      .post('/api/care/trainings')
      .send({ patchPx: 32, ...body });
  const folder = (name: string) => join(running.directory, 'data', name);

  afterEach(async () => {
    expect((await request(server()).get('/api/health')).status).toBe(200);
  });

  it('refuses pairs of different sizes, naming both files and sizes', async () => {
    await writePlane(join(folder('sizes'), 'low', '000.tif'), structured(W, H), W, H);
    await writePlane(join(folder('sizes'), 'high', '000.tif'), structured(40, 40), 40, 40);
    await writePlane(join(folder('sizes'), 'low', '001.tif'), structured(W, H), W, H);
    await writePlane(join(folder('sizes'), 'high', '001.tif'), structured(W, H), W, H);
    const reply = await train({ pairsDir: folder('sizes') });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe('pairsDir: low/000.tif is 48×48 px but high/000.tif is 40×40 px');
  });

  it('refuses different counts of low and high frames, naming the unpaired file', async () => {
    for (const name of ['000.tif', '001.tif']) await writePlane(join(folder('counts'), 'low', name), structured(W, H), W, H);
    await writePlane(join(folder('counts'), 'high', '000.tif'), structured(W, H), W, H);
    const reply = await train({ pairsDir: folder('counts') });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe('pairsDir: low/ has 2 files and high/ 1; no high/ for 001.tif');
  });

  it('refuses an empty folder and a missing one', async () => {
    await mkdir(join(folder('empty'), 'low'), { recursive: true });
    await mkdir(join(folder('empty'), 'high'), { recursive: true });
    const empty = await train({ pairsDir: folder('empty') });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe(`pairsDir: ${join(folder('empty'), 'low')} holds no .tif files`);
    const missing = await train({ mode: 'n2v', noisyDir: folder('nowhere') });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe(`noisyDir: no folder ${folder('nowhere')}`);
  });

  it('refuses frames with NaN pixels and constant frames', async () => {
    const nan = structured(W, H);
    nan[5] = NaN;
    nan[9] = Infinity;
    await writePlane(join(folder('nan'), 'frame.tif'), nan, W, H);
    const nanReply = await train({ mode: 'n2v', noisyDir: folder('nan') });
    expect(nanReply.status).toBe(400);
    expect(nanReply.body.message).toBe('frame.tif: 2 of 2304 pixels are NaN or infinite');
    await writePlane(join(folder('constant'), 'low', '000.tif'), structured(W, H), W, H);
    await writePlane(join(folder('constant'), 'high', '000.tif'), new Float32Array(W * H).fill(7), W, H);
    const constant = await train({ pairsDir: folder('constant') });
    expect(constant.status).toBe(400);
    expect(constant.body.message).toBe('high/000.tif: every pixel is 7; a constant frame carries nothing to learn');
  });

  it('refuses a single pair (nothing left to train on after the held-out one) and patches larger than the frames', async () => {
    await writePlane(join(folder('one'), 'low', '000.tif'), structured(W, H), W, H);
    await writePlane(join(folder('one'), 'high', '000.tif'), structured(W, H, 3), W, H);
    const one = await train({ pairsDir: folder('one') });
    expect(one.status).toBe(400);
    expect(one.body.message).toMatch(/^pairsDir: 1 pair cannot leave 1 held out/);
    const big = await train({ pairsDir: folder('one'), patchPx: 64 });
    expect(big.status).toBe(400);
    expect(big.body.message).toBe('patchPx: 64 px patches do not fit in 48×48 px frames; ask for a smaller patchPx');
  });

  it('refuses a request naming two sources, or noisy frames for supervised CARE, at the edge', async () => {
    const two = await train({ pairsDir: 'a', noisyDir: 'b', mode: 'n2v' });
    expect(two.status).toBe(400);
    expect(two.body.message).toMatch(/give exactly one of calibrationId, pairsDir or noisyDir/);
    const supervised = await train({ noisyDir: 'b' });
    expect(supervised.status).toBe(400);
    expect(supervised.body.message).toMatch(/noisyDir: noisy frames alone train Noise2Void/);
    const unknown = await train({ calibrationId: 'cal-none' });
    expect(unknown.status).toBe(404);
  });
});
