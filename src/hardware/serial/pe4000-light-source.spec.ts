import { InvalidLightCommandError, SerialDeviceClosedError, SerialPortNotFoundError, UnexpectedSerialDeviceError } from './errors';
import { CoolLedPe4000 } from './pe4000-light-source';
import { emulatedLedPerTest, quietLogger, startEmulatedPe4000 } from './testing/emulated-pe4000';

describe('the pE-4000 driver over a pseudo-terminal', () => {
  const emulated = emulatedLedPerTest();
  const { commands } = emulated;

  const emitted = () => emulated.device.emulator.state.channels;

  it('identifies the device and reads its loaded wavelengths on connect', async () => {
    expect(emulated.led.isConnected).toBe(true);
    expect(await emulated.led.getModel()).toBe('pE-4000');
    expect(await emulated.led.getChannels()).toEqual([
      { index: 0, wavelengthNm: 365, on: false, powerPercent: 0 },
      { index: 1, wavelengthNm: 460, on: false, powerPercent: 0 },
      { index: 2, wavelengthNm: 525, on: false, powerPercent: 0 },
      { index: 3, wavelengthNm: 635, on: false, powerPercent: 0 },
    ]);
  });

  it('sets intensity and switches a channel, and the device emits exactly that', async () => {
    await emulated.led.setPowerPercent(1, 42);
    await emulated.led.setChannelOn(1, true);
    expect(emitted()[1]).toMatchObject({ on: true, selected: true, intensityPercent: 42, emitting: true });
    expect((await emulated.led.getChannels())[1]).toEqual({ index: 1, wavelengthNm: 460, on: true, powerPercent: 42 });
    await emulated.led.setChannelOn(1, false);
    expect(emitted()[1]).toMatchObject({ on: false, intensityPercent: 42, emitting: false });
  });

  it('rounds fractional power down so the device never gets more than asked', async () => {
    await emulated.led.setPowerPercent(0, 99.99);
    expect(emitted()[0].intensityPercent).toBe(99);
    expect(commands).toContain('CAI99');
  });

  it('switches everything off with one command', async () => {
    await emulated.led.setPowerPercent(0, 10);
    await emulated.led.setPowerPercent(3, 20);
    await emulated.led.setChannelOn(0, true);
    await emulated.led.setChannelOn(3, true);
    await emulated.led.allOff();
    expect(emitted().every((c) => !c.on)).toBe(true);
    expect(commands[commands.length - 1]).toBe('CSF');
  });

  it('loads another LED into a channel and reports its wavelength', async () => {
    await emulated.led.setWavelengthNm(2, 580);
    expect(emitted()[2].wavelengthNm).toBe(580);
    expect((await emulated.led.getChannels())[2].wavelengthNm).toBe(580);
    await expect(emulated.led.setWavelengthNm(2, 470)).rejects.toThrow(InvalidLightCommandError);
  });

  it('reads the firmware versions of mainboard, pod and the four backends', async () => {
    const versions = await emulated.led.getFirmwareVersions();
    expect(versions.mainboard).toMatch(/^\d+\.\d+/);
    expect(versions.pod).toMatch(/^\d+\.\d+/);
    expect(versions.backends).toHaveLength(4);
  });

  it('locks and unlocks the control pod', async () => {
    await emulated.led.setPodEnabled(false);
    expect(emulated.device.emulator.state.podEnabled).toBe(false);
    await emulated.led.setPodEnabled(true);
    expect(emulated.device.emulator.state.podEnabled).toBe(true);
  });

  it('refuses values the device cannot represent without sending anything', async () => {
    const before = commands.length;
    await expect(emulated.led.setPowerPercent(0, Number.NaN)).rejects.toThrow(InvalidLightCommandError);
    await expect(emulated.led.setPowerPercent(0, 101)).rejects.toThrow(InvalidLightCommandError);
    await expect(emulated.led.setPowerPercent(4, 10)).rejects.toThrow(InvalidLightCommandError);
    await expect(emulated.led.setChannelOn(-1, true)).rejects.toThrow(InvalidLightCommandError);
    expect(commands.length).toBe(before);
  });

  it('serves concurrent callers one at a time, in the order they called', async () => {
    const calls = Array.from({ length: 40 }, (_, i) => emulated.led.setPowerPercent(i % 4, i));
    await Promise.all(calls);
    expect(commands.slice(-40)).toEqual(Array.from({ length: 40 }, (_, i) => `C${'ABCD'[i % 4]}I${i}`));
    expect(emitted().map((c) => c.intensityPercent)).toEqual([36, 37, 38, 39]);
  });

  it('reports status changes as they happen', async () => {
    const seen: number[] = [];
    const sub = emulated.led.status$.subscribe((channels) => seen.push(channels[3].powerPercent));
    await emulated.led.setPowerPercent(3, 12);
    await emulated.led.setPowerPercent(3, 13);
    sub.unsubscribe();
    expect(seen).toEqual([12, 13]);
  });

  it('fails clearly after close', async () => {
    await emulated.led.close();
    await expect(emulated.led.getChannels()).rejects.toThrow(SerialDeviceClosedError);
  });
});

describe('connecting to the pE-4000', () => {
  it('works when the line echoes every command', async () => {
    const device = await startEmulatedPe4000({ faults: { echo: true } });
    const led = await CoolLedPe4000.open(device.config({ echoesCommands: true }), quietLogger());
    await led.setPowerPercent(2, 33);
    expect(device.emulator.state.channels[2].intensityPercent).toBe(33);
    await led.close();
    await device.cleanup();
  });

  it('takes LF as command terminator too', async () => {
    const device = await startEmulatedPe4000();
    const led = await CoolLedPe4000.open(device.config({ commandTerminator: '\n' }), quietLogger());
    await led.setPowerPercent(0, 3);
    expect(device.emulator.state.channels[0].intensityPercent).toBe(3);
    await led.close();
    await device.cleanup();
  });

  it('says so when the path does not exist', async () => {
    await expect(CoolLedPe4000.open({ port: { path: '/nonexistent/ttyLED' } }, quietLogger())).rejects.toThrow(
      /cannot open serial port \/nonexistent\/ttyLED/,
    );
  });

  it('says so when no port has the configured USB ids', async () => {
    await expect(CoolLedPe4000.open({ port: { usb: { vendorId: 'dead', productId: 'beef' } } }, quietLogger())).rejects.toThrow(
      SerialPortNotFoundError,
    );
  });

  it('says so when something else answers on the port', async () => {
    const device = await startEmulatedPe4000({ rawEcho: true });
    await expect(CoolLedPe4000.open(device.config(), quietLogger())).rejects.toThrow(UnexpectedSerialDeviceError);
    await device.cleanup();
  });

  it('locks the pod at connect when configured to', async () => {
    const device = await startEmulatedPe4000();
    const led = await CoolLedPe4000.open(device.config({ lockPod: true }), quietLogger());
    expect(device.emulator.state.podEnabled).toBe(false);
    await led.close();
    await device.cleanup();
  });
});
