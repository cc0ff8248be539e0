import { startMicroManagerSimulator, type RunningMicroManagerSimulator } from './index';
import { RawBridgeClient } from './testing/raw-client';

const S = 'java.lang.String';
const firstLine = (reply: { json: Record<string, unknown> }) => String(reply.json.value).split('\n')[0];

describe('the simulated devices behind the core', () => {
  let sim: RunningMicroManagerSimulator;
  let client: RawBridgeClient;
  let core: string;
  const value = async (name: string, types: string[] = [], args: unknown[] = []) => (await client.call(core, name, types, args)).json.value;
  const setProperty = (device: string, name: string, text: string) => client.call(core, 'setProperty', [S, S, S], [device, name, text]);
  const meanOfSnap = async () => {
    await client.call(core, 'snapImage');
    const bytes = (await client.call(core, 'getImage')).parts[2];
    const pixels = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    return pixels.reduce((sum, p) => sum + p, 0) / pixels.length;
  };

  beforeAll(async () => {
    sim = await startMicroManagerSimulator({ port: 0, lightSource: { label: 'LED', maxPowerMw: 100 } });
    client = new RawBridgeClient(sim.endpoint);
    core = await client.core();
    await setProperty('Camera', 'OnCameraCCDXSize', '64');
    await setProperty('Camera', 'OnCameraCCDYSize', '64');
  });

  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('lights the sample with State × Intensity % × MaxPower_mW of the LED, through the core shutter', async () => {
    expect(sim.microscope.illuminationMw()).toBe(0);
    await client.call(core, 'setShutterOpen', ['boolean'], [true]);
    expect(sim.microscope.illuminationMw()).toBe(10);
    await client.call(core, 'setProperty', [S, S, 'double'], ['LED', 'Intensity', 42.5]);
    expect(sim.microscope.illuminationMw()).toBe(42.5);
    await setProperty('LED', 'State', '0');
    expect(sim.microscope.illuminationMw()).toBe(0);
    await client.call(core, 'setShutterOpen', ['boolean'], [false]);
    await client.call(core, 'setShutterDevice', [S], ['LED']);
    await client.call(core, 'setShutterOpen', ['boolean'], [true]);
    expect(await value('getProperty', [S, S], ['LED', 'State'])).toBe('1');
    expect(sim.microscope.illuminationMw()).toBe(42.5);
    await client.call(core, 'setShutterOpen', ['boolean'], [false]);
    await client.call(core, 'setShutterDevice', [S], ['Shutter']);
    await setProperty('LED', 'State', '1');
  });

  it('describes the LED properties with limits, allowed values and a read-only maximum power', async () => {
    expect(await value('getDeviceLibrary', [S], ['LED'])).toBe('SimulatedLight');
    expect(
      await client.strings(String((await client.call(core, 'getAllowedPropertyValues', [S, S], ['LED', 'Wavelength'])).json['hash-code'])),
    ).toEqual(['385', '470', '555', '640']);
    expect([
      await value('hasPropertyLimits', [S, S], ['LED', 'Intensity']),
      await value('getPropertyUpperLimit', [S, S], ['LED', 'Intensity']),
    ]).toEqual([true, 100]);
    expect(await value('isPropertyReadOnly', [S, S], ['LED', 'MaxPower_mW'])).toBe(true);
    expect(firstLine(await client.run(core, 'setProperty', [S, S, S], ['LED', 'MaxPower_mW', '500']))).toMatch(/read-only/);
    expect(firstLine(await client.run(core, 'setProperty', [S, S, S], ['LED', 'Intensity', '150']))).toMatch(
      /Invalid property value "150"/,
    );
  });

  it('renders brighter frames with more light, and only noise with the shutter closed in Noise mode', async () => {
    await client.call(core, 'setExposure', ['double'], [10]);
    await client.call(core, 'setProperty', [S, S, 'double'], ['LED', 'Intensity', 1]);
    const dim = await meanOfSnap();
    await client.call(core, 'setProperty', [S, S, 'double'], ['LED', 'Intensity', 100]);
    const bright = await meanOfSnap();
    expect(bright).toBeGreaterThan(dim * 5);
    await setProperty('Camera', 'Mode', 'Noise');
    expect(await meanOfSnap()).toBeLessThan(dim);
    await setProperty('Camera', 'Mode', 'Artificial Waves');
  });

  it('keeps a stage busy for its travel time: waitForDevice waits, times out past Core-TimeoutMs, stop() ends the move', async () => {
    await setProperty('XY', 'Velocity', '0.001');
    await client.call(core, 'setXYPosition', [S, 'double', 'double'], ['XY', 50, 0]);
    expect(await value('deviceBusy', [S], ['XY'])).toBe(true);
    expect(await value('systemBusy')).toBe(true);
    await client.call(core, 'setTimeoutMs', ['int'], [30]);
    expect(firstLine(await client.run(core, 'waitForDevice', [S], ['XY']))).toBe(
      'java.lang.Exception: Wait for device "XY" timed out after 30ms',
    );
    await client.call(core, 'stop', [S], ['XY']);
    expect(await value('deviceBusy', [S], ['XY'])).toBe(false);
    await client.call(core, 'setTimeoutMs', ['int'], [5000]);
    await setProperty('XY', 'Velocity', '10');
    await client.call(core, 'setRelativeXYPosition', ['double', 'double'], [5, -5]);
    await client.call(core, 'waitForDevice', [S], ['XY']);
    expect(await value('deviceBusy', [S], ['XY'])).toBe(false);
    expect([await value('getXPosition'), await value('getYPosition')]).toEqual([55, -5]);
  });

  it('moves the focus, reads it live, and leaves the state cache (image tags) stale as MMCore does', async () => {
    await client.call(core, 'setPosition', ['double'], [12.5]);
    await client.call(core, 'waitForSystem');
    await client.call(core, 'setRelativePosition', [S, 'double'], ['Z', -2.5]);
    expect(await value('getPosition')).toBe(10);
    expect(await value('getProperty', [S, S], ['Z', 'Position'])).toBe('10.0000');
    expect(await value('getPropertyFromCache', [S, S], ['Z', 'Position'])).toBe('0.0000');
    await client.call(core, 'updateSystemStateCache');
    expect(await value('getPropertyFromCache', [S, S], ['Z', 'Position'])).toBe('10.0000');
  });

  it('drives state devices by position and label, and config presets through them', async () => {
    await client.call(core, 'setStateLabel', [S, S], ['Objective', 'Nikon 20X Plan Fluor ELWD']);
    expect(await value('getState', [S], ['Objective'])).toBe(3);
    expect(await value('getCurrentConfig', [S], ['Objective'])).toBe('20X');
    expect(await value('getPixelSizeUm')).toBe(0.5);
    await client.call(core, 'setState', [S, 'int'], ['Dichroic', 2]);
    expect(await value('getStateLabel', [S], ['Dichroic'])).toBe('Q585LP');
    expect(await value('getNumberOfStates', [S], ['Objective'])).toBe(6);
    expect(firstLine(await client.run(core, 'setStateLabel', [S, S], ['Objective', 'Nikon 100X']))).toBe(
      'java.lang.Exception: Label "Nikon 100X" not defined for device "Objective"',
    );
    await client.call(core, 'setConfig', [S, S], ['Channel', 'DAPI']);
    await client.call(core, 'waitForConfig', [S, S], ['Channel', 'DAPI']);
    expect(await value('getCurrentConfig', [S], ['Channel'])).toBe('DAPI');
  });

  it('focuses with the autofocus onto its plane plus the offset', async () => {
    await client.call(core, 'setAutoFocusOffset', ['double'], [1.5]);
    await client.call(core, 'fullFocus');
    expect(await value('getPosition')).toBeCloseTo(1.9, 9);
    expect(await value('getAutoFocusOffset')).toBe(1.5);
  });
});
