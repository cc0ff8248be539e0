import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { readOmeTiff } from '../src/acquisition/storage';
import { CalibrationService } from '../src/models/care/calibration/calibration.service';
import type { CalibrationReport } from '../src/models/care/calibration/calibration-report';
import { OPERATOR_TOKEN, TOKENS_CONFIG, VIEWER_TOKEN } from './support/gateway-clients';
import { simulatedAppPerSuite } from './support/start-app';

const operator = `Bearer ${OPERATOR_TOKEN}`;
const valid = { lowPercent: 10, highPercent: 80, exposureMs: 20, doseBudgetPercentSeconds: 20, count: 4 };

const mean = (pixels: ArrayLike<number>) => Array.from(pixels).reduce((a, b) => a + b, 0) / pixels.length;

describe('CARE calibration on the simulated microscope (POST /api/care/calibrations)', () => {
  const running = simulatedAppPerSuite('scope-care-calibration-', {
    server: TOKENS_CONFIG,
    simulation: { cameraWidthPx: 64, cameraHeightPx: 64, serialLightSource: false },
  });
  const server = () => running.app.getHttpServer() as Server;

  it('refuses a high level beyond the light envelope with 400 naming the limit, and nothing is acquired', async () => {
    const reply = await request(server())
      .post('/api/care/calibrations')
      .set('Authorization', operator)
      .send({ ...valid, highPercent: 95 });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/highPercent: 95 % is above .*80 % .*safety\.light\.maxPowerPercent/);
    expect(existsSync(join(running.directory, 'care-calibrations'))).toBe(false);
  });

  it('refuses a dose budget that cannot cover the pairs, naming the budget and what they need', async () => {
    const reply = await request(server())
      .post('/api/care/calibrations')
      .set('Authorization', operator)
      .send({ ...valid, doseBudgetPercentSeconds: 3 });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/doseBudgetPercentSeconds: 3 %·s cannot cover 4 pairs .* they need 7\.2 %·s/);
  });

  it('refuses a viewer and a body with a wrong field, and keeps serving', async () => {
    const viewer = await request(server()).post('/api/care/calibrations').set('Authorization', `Bearer ${VIEWER_TOKEN}`).send(valid);
    expect(viewer.status).toBe(403);
    const bad = await request(server())
      .post('/api/care/calibrations')
      .set('Authorization', operator)
      .send({ ...valid, lowPercent: 90 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/lowPercent: must be below highPercent/);
    expect((await request(server()).get('/api/health').set('Authorization', operator)).status).toBe(200);
  });

  it('acquires 4 low/high pairs on a grid, registered, in the CSBDeep layout with calibration.json, the light off after', async () => {
    const started = Date.now();
    const reply = await request(server()).post('/api/care/calibrations').set('Authorization', operator).send(valid);
    expect(reply.status).toBe(202);
    const id = (reply.body as CalibrationReport).id;
    const plan = { time_plan: { interval: 0, loops: 2 }, channels: [{ config: 'DAPI', exposure: 10 }] };
    const meanwhile = await request(server()).post('/api/acquisitions').set('Authorization', operator).send(plan);
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.message).toContain(`care calibration ${id} holds the microscope`);
    const report = await running.app.get(CalibrationService).finished(id);
    const seconds = (Date.now() - started) / 1000;
    expect(report.state).toBe('finished');
    expect(report.pairsKept).toBe(4);
    const fetched = (await request(server()).get(`/api/care/calibrations/${id}`).set('Authorization', operator)).body as CalibrationReport;
    expect(fetched).toEqual(JSON.parse(await readFile(join(report.directory, 'calibration.json'), 'utf8')));
    expect(fetched.dose.usedPercentSeconds).toBeCloseTo(7.2, 6);
    expect(fetched.camera).toMatchObject({ widthPx: 64, heightPx: 64 });
    expect(fetched.light).toMatchObject({ lowPercent: 10, highPercent: 80 });
    // the grid: 4 distinct fields, one field of view apart
    expect(new Set(fetched.pairs.map((p) => `${p.position.xUm},${p.position.yUm}`)).size).toBe(4);
    for (const pair of fetched.pairs) {
      expect(pair.outcome).toBe('kept');
      expect(pair.attempts[0].driftPx.magnitude).toBeLessThan(0.5);
      const low = await readOmeTiff(join(report.directory, pair.files!.low));
      const high = await readOmeTiff(join(report.directory, pair.files!.high));
      expect(low.planes).toHaveLength(1);
      // photon counts scale with the light level (camera offset 0): 80 % gives about 8× the signal of 10 %
      const ratio = mean(high.planes[0].pixels) / mean(low.planes[0].pixels);
      expect(ratio).toBeGreaterThan(6);
      expect(ratio).toBeLessThan(10);
    }
    const light = (await request(server()).get('/api/illumination').set('Authorization', operator)).body as {
      channels: Array<{ on: boolean }>;
    };
    expect(light.channels.every((c) => !c.on)).toBe(true);
    process.stdout.write(`calibration of 4 pairs at 64×64 took ${seconds.toFixed(2)} s\n`);
  }, 60_000);

  it('answers 404 naming the id for a calibration that does not exist', async () => {
    const reply = await request(server()).get('/api/care/calibrations/cal-nope').set('Authorization', operator);
    expect(reply.status).toBe(404);
    expect(reply.body.message).toBe('id: no calibration cal-nope');
  });
});
