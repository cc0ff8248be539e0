import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AcquisitionStatus } from '../src/acquisition/service/acquisition.service';
import { HardwareService } from '../src/hardware/hardware.service';
import { startSimulatorChild, type SimulatorChild } from './support/simulator-child';
import { simulatedAppPerSuite, startSimulatedApp, type RunningApp } from './support/start-app';
import { configWithLedPresets, powerBeyond, readLightRecord, serialBeyond } from './support/light-record';

const LIMIT = 80;
const workDir = mkdtempSync(join(tmpdir(), 'light-guard-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const cfg = configWithLedPresets(workDir);

async function send(url: string, method: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function untilOver(url: string, id: string): Promise<AcquisitionStatus> {
  for (;;) {
    const status = (await (await fetch(`${url}/api/acquisitions/${id}`)).json()) as AcquisitionStatus;
    if (['finished', 'cancelled', 'failed'].includes(status.state)) return status;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const overLimitPlan = {
  stage_positions: [
    { x: 0, y: 0, properties: [['LED', 'Intensity', 100]] },
    { x: 10, y: 0, properties: [['LED', 'Intensity', 'NaN']] },
  ],
  channels: [{ config: 'LED-Max', exposure: 2 }],
};

function appFor(policy: 'clamp' | 'refuse', log: string) {
  return simulatedAppPerSuite(`scope-guard-${policy}-`, {
    simulation: { cameraWidthPx: 32, cameraHeightPx: 32, microManagerConfig: cfg, lightLogFile: log },
    safety: { light: { maxPowerPercent: LIMIT, overLimit: policy } },
  });
}

describe('the light guard, clamping (safety.light.overLimit: clamp)', () => {
  const log = join(workDir, 'clamp.jsonl');
  const running = appFor('clamp', log);

  it('lists in health the light-controlling devices and properties it learned from the configuration', async () => {
    const health = (await (await fetch(`${running.url}/api/health`)).json()) as {
      lightGuard: { policy: string; watched: Array<Record<string, unknown>> };
    };
    expect(health.lightGuard.policy).toBe('clamp');
    const byName = new Map(health.lightGuard.watched.map((w) => [`${w.device}.${w.property}`, w]));
    expect(byName.get('LED.Intensity')).toMatchObject({ kind: 'power', maxValue: LIMIT, range: { lower: 0, upper: 100 } });
    expect(byName.get('LED.Intensity')!.presets).toEqual(expect.arrayContaining(['Channel/LED-Dim', 'Channel/LED-Max']));
    expect(byName.get('LED.State')).toMatchObject({ kind: 'switch' });
    expect(byName.get('Shutter.State')).toMatchObject({ kind: 'switch' });
    // the demo configuration's channel presets switch its filter wheels
    expect(byName.get('Excitation.Label')).toMatchObject({ kind: 'switch', presets: expect.arrayContaining(['Channel/DAPI']) });
    expect(byName.has('LED.MaxPower_mW')).toBe(false);
  });

  it('runs a plan whose position properties and channel preset ask for 100 % with the LED never above the limit', async () => {
    const started = await send(`${running.url}/api/acquisitions`, 'POST', overLimitPlan);
    expect(started.status).toBe(201);
    const status = await untilOver(running.url, String(started.body.id));
    expect(status).toMatchObject({ state: 'finished', framesAcquired: 2 });
    const record = readLightRecord(log);
    expect(record.filter((c) => c.property === 'Intensity').length).toBeGreaterThanOrEqual(4);
    expect(powerBeyond(record, LIMIT)).toEqual([]);
    expect(record.map((c) => c.value)).toContain(String(LIMIT));
    expect(serialBeyond(log, LIMIT)).toEqual([]);
  });

  it('clamps property writes and presets over REST, answering what was applied', async () => {
    const put = await send(`${running.url}/api/devices/LED/properties/Intensity`, 'PUT', { value: 100 });
    expect(put.status).toBe(200);
    expect(Number(put.body.value)).toBe(LIMIT);
    const preset = await send(`${running.url}/api/config-groups/Channel`, 'PUT', { preset: 'LED-Max' });
    expect(preset.status).toBe(200);
    expect(Number((await send(`${running.url}/api/devices/LED/properties/Intensity`, 'GET')).body.value)).toBe(LIMIT);
    const within = await send(`${running.url}/api/config-groups/Channel`, 'PUT', { preset: 'LED-Dim' });
    expect(within.status).toBe(200);
    expect(Number((await send(`${running.url}/api/devices/LED/properties/Intensity`, 'GET')).body.value)).toBe(20);
    expect(powerBeyond(readLightRecord(log), LIMIT)).toEqual([]);
  });

  it('names the field of a malformed request and leaves the service running', async () => {
    const noPreset = await send(`${running.url}/api/config-groups/Channel`, 'PUT', { preset: 'Nope' });
    expect(noPreset.status).toBe(404);
    expect(String(noPreset.body.message)).toMatch(/preset: "Nope"/);
    const badBody = await send(`${running.url}/api/config-groups/Channel`, 'PUT', { colour: 'red' });
    expect(badBody.status).toBe(400);
    expect((await fetch(`${running.url}/api/health`)).status).toBe(200);
  });
});

describe('the light guard, refusing (safety.light.overLimit: refuse)', () => {
  const log = join(workDir, 'refuse.jsonl');
  const running = appFor('refuse', log);

  it('refuses at POST a plan whose position sets a light property above the limit, naming it, and starts nothing', async () => {
    const reply = await send(`${running.url}/api/acquisitions`, 'POST', {
      stage_positions: [{ x: 0, y: 0, properties: [['LED', 'Intensity', 100]] }],
    });
    expect(reply.status).toBe(400);
    expect(String(reply.body.message)).toMatch(/stage_positions\[0\]\.properties\[0\]: LED\.Intensity = 100 is above its limit of 80/);
    const preset = await send(`${running.url}/api/acquisitions`, 'POST', { channels: [{ config: 'LED-Max' }] });
    expect(preset.status).toBe(400);
    expect(String(preset.body.message)).toMatch(/channels\[0\]: preset Channel\/LED-Max sets LED\.Intensity = 100/);
    expect((await (await fetch(`${running.url}/api/acquisitions`)).json()) as unknown[]).toHaveLength(0);
  });

  it('refuses over-limit REST writes with 400 and sends nothing to the device', async () => {
    const ledCommands = () => readLightRecord(log).filter((c) => c.device === 'LED').length;
    const before = ledCommands();
    expect((await send(`${running.url}/api/devices/LED/properties/Intensity`, 'PUT', { value: 100 })).status).toBe(400);
    expect((await send(`${running.url}/api/config-groups/Channel`, 'PUT', { preset: 'LED-Max' })).status).toBe(400);
    const light = await send(`${running.url}/api/illumination/channels/0`, 'PUT', { powerPercent: 95 });
    expect(light.status).toBe(400);
    expect(String(light.body.message)).toMatch(/powerPercent: 95 is above the maximum of 80/);
    expect(ledCommands()).toBe(before);
    const within = await send(`${running.url}/api/devices/LED/properties/Intensity`, 'PUT', { value: 50 });
    expect(within.status).toBe(200);
    expect(powerBeyond(readLightRecord(log), LIMIT)).toEqual([]);
    expect(serialBeyond(log, LIMIT)).toEqual([]);
  });
});

describe("Micro-Manager's own demo configuration, which has no light source the service can drive", () => {
  let mm: SimulatorChild;
  let running: RunningApp;
  beforeAll(async () => {
    mm = await startSimulatorChild(['--no-led']);
    running = await startSimulatedApp({
      simulation: { enabled: false },
      microManager: { endpoint: mm.endpoint },
      hardware: { lightSource: 'LED' },
    });
    await running.app.get(HardwareService).whenReady(30_000);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await mm?.stop();
  });

  it('says in health that illumination control is off and why, and still guards the shutter', async () => {
    const health = (await (await fetch(`${running.url}/api/health`)).json()) as {
      microManager: { illumination: { controlled: boolean; reason: string } };
      lightGuard: { watched: Array<{ device: string; property: string }> };
    };
    expect(health.microManager.illumination.controlled).toBe(false);
    expect(health.microManager.illumination.reason).toMatch(
      /hardware\.lightSource "LED" is not among the loaded devices .*no shutter-type device has Intensity and State/,
    );
    expect(health.lightGuard.watched.map((w) => `${w.device}.${w.property}`)).toContain('Shutter.State');
  });
});
