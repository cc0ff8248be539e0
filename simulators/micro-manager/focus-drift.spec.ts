import { startMicroManagerSimulator, type RunningMicroManagerSimulator } from './index';
import { RawBridgeClient } from './testing/raw-client';

const S = 'java.lang.String';
/** 10 µm per simulated hour at 720× is 2 µm per wall-clock second. */
const DRIFT_UM_PER_HOUR = 10;
const TIME_SCALE = 720;

/** Normalised variance of a frame: a plain sharpness figure, high in focus, lower as the image blurs. */
function normalisedVariance(pixels: Uint16Array): number {
  let sum = 0;
  for (const p of pixels) sum += p;
  const mean = sum / pixels.length;
  let squares = 0;
  for (const p of pixels) squares += (p - mean) ** 2;
  return squares / pixels.length / mean;
}

describe('focus drift in the simulated microscope', () => {
  let sim: RunningMicroManagerSimulator;
  let client: RawBridgeClient;
  let core: string;
  const value = async (name: string, types: string[] = [], args: unknown[] = []) => (await client.call(core, name, types, args)).json.value;
  const sharpnessOfSnap = async () => {
    await client.call(core, 'snapImage');
    const bytes = (await client.call(core, 'getImage')).parts[2];
    return normalisedVariance(new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
  };

  beforeAll(async () => {
    sim = await startMicroManagerSimulator({ port: 0, driftUmPerHour: DRIFT_UM_PER_HOUR, timeScale: TIME_SCALE });
    client = new RawBridgeClient(sim.endpoint);
    core = await client.core();
    for (const [name, text] of [
      ['OnCameraCCDXSize', '128'],
      ['OnCameraCCDYSize', '128'],
      ['Exposure', '10'],
    ]) {
      await client.call(core, 'setProperty', [S, S, S], ['Camera', name, text]);
    }
    // 40×/0.75: a depth of field under a micrometre, so a few micrometres of drift blur the image plainly.
    await client.call(core, 'setStateLabel', [S, S], ['Objective', 'Nikon 40X Plan Fluor ELWD']);
    await client.call(core, 'setXYPosition', ['double', 'double'], [60, -40]);
  });

  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('runs its clock faster than the wall clock by the time scale, and drifts at the configured rate', async () => {
    const before = sim.microscope.clock.elapsedS();
    await new Promise((r) => setTimeout(r, 200));
    const elapsedS = sim.microscope.clock.elapsedS() - before;
    expect(elapsedS).toBeGreaterThanOrEqual(0.19 * TIME_SCALE);
    expect(sim.microscope.drift.offsetUm()).toBeCloseTo((DRIFT_UM_PER_HOUR * sim.microscope.clock.elapsedS()) / 3600, 1);
  });

  it('blurs the image when the stage stays put, and the autofocus finds the drifted plane plus its offset', async () => {
    await client.call(core, 'fullFocus');
    const focusedUm = Number(await value('getPosition'));
    expect(focusedUm - 0.4).toBeCloseTo(sim.microscope.drift.offsetUm(), 1);
    const sharpAtStart = await sharpnessOfSnap();

    await new Promise((r) => setTimeout(r, 1500)); // about 3 µm of drift
    expect(Number(await value('getPosition'))).toBe(focusedUm);
    const sharpAfterDrift = await sharpnessOfSnap();
    expect(sharpAfterDrift).toBeLessThan(0.85 * sharpAtStart);

    await client.call(core, 'setAutoFocusOffset', ['double'], [0.5]);
    await client.call(core, 'fullFocus');
    const refocusedUm = Number(await value('getPosition'));
    expect(refocusedUm - focusedUm).toBeGreaterThan(2.5 + 0.5);
    expect(refocusedUm - 0.4 - 0.5).toBeCloseTo(sim.microscope.drift.offsetUm(), 1);
    await client.call(core, 'setAutoFocusOffset', ['double'], [0]);
    await client.call(core, 'fullFocus');
    expect(await sharpnessOfSnap()).toBeGreaterThan(0.8 * sharpAtStart);
  });

  it('lets the autofocus device be chosen by label, and refuses a device of another kind', async () => {
    await client.call(core, 'setAutoFocusDevice', [S], ['Autofocus']);
    expect(await value('getAutoFocusDevice')).toBe('Autofocus');
    const reply = await client.run(core, 'setAutoFocusDevice', [S], ['Camera']);
    expect(String(reply.json.value)).toMatch(/not a AutoFocusDevice/);
  });
});
