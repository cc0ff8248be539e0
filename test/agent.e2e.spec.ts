import { readFile } from 'node:fs/promises';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { simulatedAppPerSuite } from './support/start-app';

async function call(url: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the agent in the service (api/agent)', () => {
  const running = simulatedAppPerSuite('scope-agent-', {
    simulation: { cameraWidthPx: 64, cameraHeightPx: 48 },
    agent: { params: { startIlluminationPercent: 9, maxIlluminationPercent: 40 } },
  });

  it('is off by default, refuses a bad override naming the field, and its override steers the light of a real run', async () => {
    const initial = await call(`${running.url}/api/agent`, 'GET');
    expect(initial.body).toMatchObject({ enabled: false, overrideIlluminationPercent: null });
    const bad = await call(`${running.url}/api/agent/override`, 'POST', { illuminationPercent: 'lots' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/illuminationPercent/);
    expect((await call(`${running.url}/api/agent/on`, 'POST')).body).toMatchObject({ enabled: true });
    expect((await call(`${running.url}/api/agent/override`, 'POST', { illuminationPercent: 7 })).body).toMatchObject({
      overrideIlluminationPercent: 7,
    });

    const acquisitions = running.app.get(AcquisitionService);
    const started = await acquisitions.start({ z_plan: { range: 3, step: 1 }, channels: [{ config: 'DAPI', exposure: 5 }] }); // one time point: the agent's interval does not apply
    const status = await acquisitions.finished(started.acquisitionId);
    expect(status.state).toBe('finished');
    const planes = (await readOmeTiff(status.datasetPath)).planes.filter((plane) => !plane.blank);
    expect(planes.map((plane) => plane.record?.meta?.illumination?.powerPercent)).toEqual([7, 7, 7, 7]);
    const readLog = async () =>
      (await readFile(`${status.datasetPath}.agent-decisions.jsonl`, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
    for (let waitedMs = 0; (await readLog()).length < 1 && waitedMs < 5000; waitedMs += 50) await new Promise((r) => setTimeout(r, 50));
    const log = await readLog();
    // the agent decides from the newest frame at its own pace (latest-only): at most one line per frame
    expect(log.length).toBeGreaterThanOrEqual(1);
    expect(log.length).toBeLessThanOrEqual(4);
    expect(JSON.parse(log[0])).toEqual(
      expect.objectContaining({ reason: expect.any(String), inputs: expect.any(Object), decision: expect.any(Object) }),
    );

    await call(`${running.url}/api/agent/override`, 'POST', { illuminationPercent: null });
    // steering a time-lapse, the agent starts from the plan's interval (not its configured 180 s) and decides the light
    const lapse = await acquisitions.start({ time_plan: { interval: 0.2, loops: 3 }, channels: [{ config: 'DAPI', exposure: 5 }] });
    const lapseStatus = await acquisitions.finished(lapse.acquisitionId);
    expect(lapseStatus.state).toBe('finished');
    expect(lapseStatus.elapsedS).toBeLessThan(30);
    const lights = (await readOmeTiff(lapseStatus.datasetPath)).planes.map((plane) => plane.record?.meta?.illumination?.powerPercent ?? -1);
    // the configured settings: the run starts at the configured light and never goes above the configured maximum
    expect(lights[0]).toBe(9);
    expect(lights.every((percent) => percent > 0 && percent <= 40)).toBe(true);
    expect((await call(`${running.url}/api/agent/off`, 'POST')).body).toMatchObject({ enabled: false, overrideIlluminationPercent: null });
  }, 60_000);
});
