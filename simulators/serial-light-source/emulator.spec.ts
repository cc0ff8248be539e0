import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SerialLightSourceEmulator } from './emulator';
import { LightStateFileReader, illuminationFromState, readLightSourceState } from './light-state';
import { Pe4000Model } from './pe4000-model';

describe('the emulated pE-4000 command interpreter', () => {
  let model: Pe4000Model;
  beforeEach(() => (model = new Pe4000Model()));

  it('answers status, switching and intensity commands with the status line', () => {
    expect(model.handle('CSS?')).toEqual(['CSSASF000BSF000CSF000DSF000']);
    expect(model.handle('CBI42')).toEqual(['CSSASF000BSF042CSF000DSF000']);
    expect(model.handle('CSN')).toEqual(['CSSASN000BSN042CSN000DSN000']);
    expect(model.handle('CCX')).toEqual([]);
    expect(model.handle('CSF')).toEqual(['CSSASF000BSF042CXF000DSF000']);
    expect(model.handle('CSSASN010DSN100')).toEqual(['CSSASN010BSF042CXF000DSN100']);
    expect(model.handle('CB?')).toEqual(['CB042']);
  });

  it('selects and deselects channels without answering, as the device does', () => {
    expect(model.handle('CSN')).toEqual(['CSSASN000BSN000CSN000DSN000']);
    expect(model.handle('CBX')).toEqual([]);
    expect(model.handle('CBS')).toEqual([]);
    expect(model.handle('CSS?')).toEqual(['CSSASN000BSF000CSN000DSN000']);
  });

  it('answers selection with the status line only when told to be chatty', () => {
    const chatty = new Pe4000Model(undefined, { chattySelect: true });
    expect(chatty.handle('CAX')).toEqual(['CSSAXF000BSF000CSF000DSF000']);
    expect(chatty.handle('CAS')).toEqual(['CSSASF000BSF000CSF000DSF000']);
  });

  it('answers wavelength, model, version and pod commands', () => {
    expect(model.handle('LAMS')).toEqual(['LAM:A:365', 'LAM:B:460', 'LAM:C:525', 'LAM:D:635']);
    expect(model.handle('LOAD:740')).toEqual(['LAM:D:740']);
    expect(model.state.channels[3].wavelengthNm).toBe(740);
    expect(model.handle('XMODEL')).toEqual(['XMODEL:pE-4000']);
    expect(model.handle('XVER')).toHaveLength(8);
    expect(model.handle('PORT:P=OFF')).toEqual(['PORT:P=OFF']);
    expect(model.state.podEnabled).toBe(false);
  });

  it('refuses what it cannot do and changes nothing', () => {
    for (const bad of ['CAI101', 'LOAD:999', 'CSSASN150', 'HELLO', 'CEI10']) {
      expect(model.handle(bad)).toEqual([`ERROR:${bad}`]);
    }
    expect(model.handle('CSS?')).toEqual(['CSSASF000BSF000CSF000DSF000']);
  });
});

describe('the emulator process and its published state', () => {
  const root = resolve(__dirname, '../..');
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sim-light-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes what it emits to a state file the Micro-Manager simulator can read each frame', async () => {
    const stateFile = join(dir, 'state.json');
    const emulator = await SerialLightSourceEmulator.start({ linkPath: join(dir, 'tty'), stateFile, maxPowerMw: [10, 20, 30, 40] });
    const reader = new LightStateFileReader(stateFile);
    expect(reader.illumination()).toEqual({ powerMw: 0, wavelengthNm: null });
    const model = emulator as unknown as { model: Pe4000Model };
    model.model.handle('CBI50');
    model.model.handle('CSSBSN050DSN010');
    expect(reader.illumination()).toEqual({ powerMw: 14, wavelengthNm: 460 });
    expect(readLightSourceState(stateFile).channels[1]).toMatchObject({ emitting: true, outputMw: 10, maxPowerMw: 20 });
    expect(illuminationFromState(emulator.state)).toEqual({ powerMw: 14, wavelengthNm: 460 });
    await emulator.close();
    expect(reader.illumination()).toEqual({ powerMw: 0, wavelengthNm: null });
  });

  it('keeps its light when unplugged and goes back to the power-up state on a power cycle', async () => {
    const emulator = await SerialLightSourceEmulator.start({ linkPath: join(dir, 'tty') });
    (emulator as unknown as { model: Pe4000Model }).model.handle('CSSASN070');
    await emulator.unplug();
    expect(existsSync(join(dir, 'tty'))).toBe(false);
    expect(emulator.state.pluggedIn).toBe(false);
    expect(emulator.state.channels[0]).toMatchObject({ emitting: true, intensityPercent: 70 });
    await emulator.plugIn();
    expect(existsSync(join(dir, 'tty'))).toBe(true);
    await emulator.powerCycle();
    expect(emulator.state.channels[0]).toMatchObject({ emitting: false, intensityPercent: 0 });
    await emulator.close();
  });

  it('runs alone from the command line, pulls its cable on SIGUSR1 and stops on SIGTERM', async () => {
    const link = join(dir, 'ttyLED');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, 'main.ts'), '--link', link, '--no-state-file'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // a deadline, not a count of 10 ms sleeps: ts-node starting a child takes seconds on a loaded 2-core machine
    const waitForLine = async (text: string) => {
      const deadline = Date.now() + 40_000;
      while (!stdout.includes(text) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (!stdout.includes(text))
        throw new Error(`no "${text}" from the emulator (exit ${child.exitCode}); stdout: ${stdout}; stderr: ${stderr}`);
    };
    try {
      await waitForLine('emulated pE-4000 ready');
      expect(existsSync(link)).toBe(true);
      child.kill('SIGUSR1');
      await waitForLine('cable pulled');
      expect(existsSync(link)).toBe(false);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      // a failed expectation must not leave the emulator running: Jest would wait for its pipes for ever
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('refuses bad arguments with a clear message', async () => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, 'main.ts'), '--link', join(dir, 't'), '--garble-rate', '2'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/--garble-rate/);
  });
});
