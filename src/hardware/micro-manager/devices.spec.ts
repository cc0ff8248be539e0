import { startSimulatorChild, type SimulatorChild } from '../../../test/support/simulator-child';
import { connectMicroManager, type MicroManagerCore } from './index';
import {
  MicroManagerCamera,
  MicroManagerLightSource,
  MicroManagerShutter,
  MicroManagerStateDevice,
  MicroManagerXYStage,
  MicroManagerZStage,
} from './devices';

describe('device interfaces over the simulated Micro-Manager', () => {
  let sim: SimulatorChild;
  let core: MicroManagerCore;

  beforeAll(async () => {
    sim = await startSimulatorChild();
    core = connectMicroManager({ endpoint: sim.endpoint, timeoutMs: 5000 });
    await core.waitConnected();
  });

  afterAll(async () => {
    await core.close();
    await sim.stop();
  });

  it('snaps with the camera at the exposure it was given', async () => {
    const camera = new MicroManagerCamera(core, await core.getCameraDevice());
    await camera.setExposureMs(7);
    expect(await camera.getExposureMs()).toBe(7);
    const image = await camera.snap();
    expect(image.pixels).toBeInstanceOf(Uint16Array);
    expect([image.width, image.height, image.bitDepth, image.pixels.length]).toEqual([512, 512, 16, 512 * 512]);
  });

  it('moves the XY and Z stages absolutely and relatively', async () => {
    const xy = new MicroManagerXYStage(core, 'XY');
    await xy.setPositionUm(10, 20);
    await xy.waitUntilIdle();
    await xy.moveRelativeUm(1.5, -1);
    await xy.waitUntilIdle();
    expect(await xy.getPositionUm()).toEqual({ x: 11.5, y: 19 });
    const z = new MicroManagerZStage(core, 'Z');
    await z.setPositionUm(3);
    await z.moveRelativeUm(-0.5);
    await z.waitUntilIdle();
    expect(await z.getPositionUm()).toBe(2.5);
  });

  it('opens and closes the shutter', async () => {
    const shutter = new MicroManagerShutter(core, 'Shutter');
    await shutter.setOpen(true);
    expect(await shutter.isOpen()).toBe(true);
    await shutter.setOpen(false);
    expect(await shutter.isOpen()).toBe(false);
  });

  it('switches a filter wheel by label', async () => {
    const wheel = new MicroManagerStateDevice(core, 'Emission');
    const labels = await wheel.getStateLabels();
    expect(labels.length).toBeGreaterThan(1);
    await wheel.setStateLabel(labels[1]);
    expect(await wheel.getStateLabel()).toBe(labels[1]);
  });

  it('refuses LED powers outside 0–100 % and channels it does not have, and switches everything off', async () => {
    const led = new MicroManagerLightSource(core, 'LED');
    await expect(led.setPowerPercent(0, 101)).rejects.toThrow(RangeError);
    await expect(led.setPowerPercent(0, Number.NaN)).rejects.toThrow(/0–100 %/);
    await expect(led.setChannelOn(1, true)).rejects.toThrow(/one channel/);
    await led.setPowerPercent(0, 10);
    await led.setChannelOn(0, true);
    expect((await led.getChannels())[0]).toMatchObject({ on: true, powerPercent: 10 });
    await led.allOff();
    expect((await led.getChannels())[0]).toMatchObject({ on: false, powerPercent: 0 });
  });
});
