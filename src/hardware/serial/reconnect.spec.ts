import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { filter, firstValueFrom } from 'rxjs';
import { readLightSourceState, type LightSourceState } from '../../../simulators/serial-light-source';
import { SerialDisconnectedError } from './errors';
import { CoolLedPe4000 } from './pe4000-light-source';
import { eventually, quietLogger, startEmulatedPe4000, type EmulatedPe4000 } from './testing/emulated-pe4000';

const reconnected = (led: CoolLedPe4000) =>
  firstValueFrom(led.connection$.pipe(filter((e) => e.state === 'connected' && e.restored === true)));
const disconnected = (led: CoolLedPe4000) => firstValueFrom(led.connection$.pipe(filter((e) => e.state === 'disconnected')));

/** Channel 1 at 40 % on, channel 2 loaded with 580 nm at 25 % off, channel 3 at 10 % on. */
async function commandSomeLight(led: CoolLedPe4000): Promise<void> {
  await led.setPowerPercent(1, 40);
  await led.setChannelOn(1, true);
  await led.setWavelengthNm(2, 580);
  await led.setPowerPercent(2, 25);
  await led.setPowerPercent(3, 10);
  await led.setChannelOn(3, true);
}

const emission = (state: LightSourceState) => state.channels.map((c) => (c.emitting ? c.intensityPercent : 0));

describe('the pE-4000 driver when the device goes away and comes back', () => {
  let device: EmulatedPe4000;
  let led: CoolLedPe4000;

  beforeEach(async () => {
    device = await startEmulatedPe4000();
    led = await CoolLedPe4000.open(device.config(), quietLogger());
    await commandSomeLight(led);
  });

  afterEach(async () => {
    await led.close();
    await device.cleanup();
  });

  it('fails fast while unplugged and carries on after the cable is back', async () => {
    const lost = disconnected(led);
    await device.emulator.unplug();
    expect((await lost).reason).toBeTruthy();
    expect(led.isConnected).toBe(false);
    await expect(led.getChannels()).rejects.toThrow(SerialDisconnectedError);
    const back = reconnected(led);
    await device.emulator.plugIn();
    await back;
    expect(await led.getChannels()).toEqual([
      { index: 0, wavelengthNm: 365, on: false, powerPercent: 0 },
      { index: 1, wavelengthNm: 460, on: true, powerPercent: 40 },
      { index: 2, wavelengthNm: 580, on: false, powerPercent: 25 },
      { index: 3, wavelengthNm: 635, on: true, powerPercent: 10 },
    ]);
  });

  it('restores the last commanded state after a power cycle, never emitting more on the way', async () => {
    const before = emission(device.emulator.state);
    const seen: number[][] = [];
    device.emulator.on('state', (s: LightSourceState) => seen.push(emission(s)));
    const back = reconnected(led);
    await device.emulator.powerCycle();
    expect(emission(device.emulator.state)).toEqual([0, 0, 0, 0]);
    await back;
    const after = device.emulator.state;
    expect(emission(after)).toEqual(before);
    expect(after.channels.map((c) => c.wavelengthNm)).toEqual([365, 460, 580, 635]);
    expect(after.channels[2].intensityPercent).toBe(25);
    for (const step of seen) step.forEach((percent, i) => expect(percent).toBeLessThanOrEqual(before[i]));
  });

  it('restores less light when less was asked for while unplugged', async () => {
    await device.emulator.unplug();
    await eventually(() => !led.isConnected, 'the driver to notice the unplug');
    await expect(led.setPowerPercent(1, 15)).rejects.toThrow(SerialDisconnectedError);
    await expect(led.setChannelOn(3, false)).rejects.toThrow(SerialDisconnectedError);
    await expect(led.setPowerPercent(0, 90)).rejects.toThrow(SerialDisconnectedError);
    const back = reconnected(led);
    await device.emulator.plugIn();
    await back;
    expect(emission(device.emulator.state)).toEqual([0, 15, 0, 0]);
  });
});

describe('the pE-4000 driver when the emulator process is killed and restarted', () => {
  const root = resolve(__dirname, '../../..');
  let dir: string;
  let child: ChildProcess | undefined;

  const startEmulatorProcess = (linkPath: string, stateFile: string) =>
    new Promise<ChildProcess>((done, fail) => {
      const proc = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          join(root, 'simulators/serial-light-source/main.ts'),
          '--link',
          linkPath,
          '--state-file',
          stateFile,
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.stdout?.on('data', (d: Buffer) => d.toString().includes('emulated pE-4000 ready') && done(proc));
      proc.once('exit', (code) => fail(new Error(`emulator exited with ${code}: ${stderr}`)));
    });

  const stop = async (proc: ChildProcess | undefined, signal: NodeJS.Signals) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill(signal);
    await exited;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pe4000-proc-'));
  });

  afterEach(async () => {
    await stop(child, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reconnects and puts back channel, intensity and wavelength', async () => {
    const linkPath = join(dir, 'ttyLED');
    const stateFile = join(dir, 'state.json');
    child = await startEmulatorProcess(linkPath, stateFile);
    const led = await CoolLedPe4000.open({ port: { path: linkPath }, replyTimeoutMs: 500, reconnectIntervalMs: 50 }, quietLogger());
    await commandSomeLight(led);
    const before = emission(readLightSourceState(stateFile));
    expect(before).toEqual([0, 40, 0, 10]);

    const lost = disconnected(led);
    await stop(child, 'SIGKILL');
    await lost;
    // socat notices that its emulator is gone and takes the device path with it.
    await eventually(() => !existsSync(linkPath), 'the device path to vanish');

    const back = reconnected(led);
    child = await startEmulatorProcess(linkPath, stateFile);
    await back;
    const after = readLightSourceState(stateFile);
    expect(emission(after)).toEqual(before);
    expect(after.channels[2]).toMatchObject({ wavelengthNm: 580, intensityPercent: 25, on: false });
    await led.close();
  });
});
