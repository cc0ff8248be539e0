import { CoolLedPe4000 } from '../serial/pe4000-light-source';
import { quietLogger, startEmulatedPe4000, type EmulatedPe4000 } from '../serial/testing/emulated-pe4000';
import { resumeFromStandby, standBy } from './light-standby';
import { SafeLightSource } from './safe-light-source';

describe('the light between acquisitions (standBy / resumeFromStandby) on the serial pE-4000', () => {
  let device: EmulatedPe4000;
  let led: CoolLedPe4000;
  let safe: SafeLightSource;
  const lit = async () => (await led.getChannels()).filter((c) => c.on).map((c) => [c.index, c.powerPercent]);

  beforeEach(async () => {
    device = await startEmulatedPe4000();
    led = await CoolLedPe4000.open(device.config(), quietLogger());
    safe = new SafeLightSource(led, { maxPowerPercent: 60, maxExposureMs: 1000 }, { logger: quietLogger() });
    await safe.setPowerPercent(1, 40, 'test');
    await safe.setChannelOn(1, true, 'test');
  });

  afterEach(async () => {
    safe.dispose();
    await led.close();
    await device.cleanup();
  });

  it('turns every channel off at the end and lights the next acquisition as it was set', async () => {
    await standBy(safe, 'acquisition end');
    expect(await lit()).toEqual([]);
    expect(await resumeFromStandby(safe, 'acquisition start')).toEqual([1]);
    expect(await lit()).toEqual([[1, 40]]);
    // Once only: the memory is spent.
    await safe.allOff('test');
    expect(await resumeFromStandby(safe, 'acquisition start')).toEqual([]);
    expect(await lit()).toEqual([]);
  });

  it('leaves the light as someone set it in between, even off', async () => {
    await standBy(safe, 'acquisition end');
    await safe.setChannelOn(1, false, 'operator');
    expect(await resumeFromStandby(safe, 'acquisition start')).toEqual([]);
    expect(await lit()).toEqual([]);
    await standBy(safe, 'acquisition end');
    await safe.setPowerPercent(2, 10, 'operator');
    expect(await resumeFromStandby(safe, 'acquisition start')).toEqual([]);
    expect(await lit()).toEqual([]);
  });

  it('remembers nothing when nothing was lit', async () => {
    await safe.allOff('test');
    await standBy(safe, 'acquisition end');
    expect(await resumeFromStandby(safe, 'acquisition start')).toEqual([]);
  });
});
