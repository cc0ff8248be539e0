import { HardwareService } from '../src/hardware/hardware.service';
import { startSimulatedApp, type RunningApp } from './support/start-app';

async function meanOfSnap(hardware: HardwareService): Promise<number> {
  const image = await hardware.liveCamera().snap();
  let sum = 0;
  for (const v of image.pixels) sum += v;
  return sum / image.pixels.length;
}

describe('simulation mode with the serial light source', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSimulatedApp({ simulation: { serialLightSource: true }, live: { exposureMs: 20 } });
  }, 60_000);

  afterAll(async () => {
    await running?.close();
  });

  it('drives the light over the pseudo-terminal, and the specimen receives what was commanded', async () => {
    const hardware = running.app.get(HardwareService);
    const deadline = Date.now() + 30_000;
    while (!hardware.light() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const light = hardware.light()!;
    expect(hardware.connection().lightSource).toMatchObject({ label: 'pE-4000' });
    expect(String(hardware.connection().lightSource?.path)).toMatch(/ttyLED$/);

    await light.setChannelOn(0, true);
    await light.setPowerPercent(0, 0);
    await new Promise((r) => setTimeout(r, 50));
    const dark = await meanOfSnap(hardware);
    await light.setPowerPercent(0, 60);
    await new Promise((r) => setTimeout(r, 50));
    const lit = await meanOfSnap(hardware);
    expect(lit).toBeGreaterThan(dark + 5);
    // Beyond the envelope's maximum (80 %) the device never receives more.
    await light.setPowerPercent(0, 1000);
    expect((await light.getChannels())[0].powerPercent).toBeLessThanOrEqual(80);
    await light.allOff();
  });
});
