import type { LightSourceState } from '../../../simulators/serial-light-source';
import { CoolLedPe4000 } from '../serial/pe4000-light-source';
import { eventually, quietLogger, startEmulatedPe4000, type EmulatedPe4000 } from '../serial/testing/emulated-pe4000';
import type { ClampEvent } from './clamp-event';
import { LightCommandRejectedError, SafeLightSource } from './safe-light-source';
import type { LightSafetyLimitsInput } from './safety-limits';

/** xorshift32, so a failing fuzz run can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const ADVERSARIAL: readonly unknown[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  -0.0001,
  -1e308,
  1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  100.0000001,
  101,
  255,
  1e6,
  '50',
  '1e3',
  'abc',
  '',
  null,
  undefined,
  true,
  {},
  [],
  [60],
];

function adversarialValue(next: () => number): unknown {
  const r = next();
  if (r < 0.4) return ADVERSARIAL[Math.floor(next() * ADVERSARIAL.length)];
  if (r < 0.7) return next() * 120; // in range and just above
  if (r < 0.85) return (next() - 0.5) * 1e12; // huge, either sign
  return Number(String(Math.floor(next() * 300)) + (next() < 0.5 ? 'x' : '')); // strings cast to numbers: some NaN
}

describe('the safety envelope around the serial pE-4000', () => {
  let device: EmulatedPe4000;
  let led: CoolLedPe4000;
  let safe: SafeLightSource;
  let clamps: ClampEvent[];
  let states: LightSourceState[];

  const wrap = async (limits: LightSafetyLimitsInput) => {
    safe = new SafeLightSource(led, limits, { logger: quietLogger() });
    safe.clamps$.subscribe((e) => clamps.push(e));
    await safe.initialize();
  };

  beforeEach(async () => {
    device = await startEmulatedPe4000();
    led = await CoolLedPe4000.open(device.config(), quietLogger());
    clamps = [];
    states = [];
    device.emulator.on('state', (s: LightSourceState) => states.push(s));
  });

  afterEach(async () => {
    safe?.dispose();
    await led.close();
    await device.cleanup();
  });

  it('never lets 10,000 adversarial power and switch commands exceed the limits at the device', async () => {
    const maxPercent = [30, 50, 100, 0];
    await wrap({ maxPowerPercent: maxPercent, maxExposureMs: 1000 });
    const next = random(20240611);
    let invalid = 0;
    for (let i = 0; i < 10_000; i++) {
      const channel = Math.floor(next() * 4);
      if (next() < 0.15) {
        const on = next() < 0.6 ? next() < 0.7 : ADVERSARIAL[Math.floor(next() * ADVERSARIAL.length)];
        if (typeof on !== 'boolean') invalid++;
        const applied = await safe.commandChannelOn(channel, on);
        if (typeof on !== 'boolean') expect(applied).toBe(false);
        continue;
      }
      const value = adversarialValue(next);
      if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) invalid++;
      const applied = await safe.commandPowerPercent(channel, value);
      expect(applied).toBeLessThanOrEqual(maxPercent[channel]);
    }
    expect(states.length).toBeGreaterThan(1000);
    for (const state of states) {
      state.channels.forEach((c, i) => {
        expect(c.intensityPercent).toBeLessThanOrEqual(maxPercent[i]);
        if (c.emitting) expect(c.outputMw).toBeLessThanOrEqual(maxPercent[i]);
      });
    }
    expect(clamps.filter((c) => c.reason === 'invalid-value')).toHaveLength(invalid);
    expect(clamps.some((c) => c.reason === 'max-power')).toBe(true);
  });

  it('emits each clamp with its reason, the requested and the applied value', async () => {
    await wrap({ maxPowerPercent: [100, 50, 100, 100], maxExposureMs: 1000 });
    await safe.setPowerPercent(1, 75);
    await safe.setPowerPercent(2, Number.NaN);
    expect(clamps).toEqual([
      expect.objectContaining({ source: 'pE-4000', channel: 1, reason: 'max-power', requested: 75, applied: 50, limit: 50 }),
      expect.objectContaining({ channel: 2, reason: 'invalid-value', requested: 'NaN', applied: 0 }),
    ]);
    expect(device.emulator.state.channels[1].intensityPercent).toBe(50);
    expect(JSON.parse(JSON.stringify(clamps))).toEqual(clamps);
  });

  it('refuses channels the source does not have without sending anything', async () => {
    await wrap({ maxPowerPercent: 100, maxExposureMs: 1000 });
    const commands: string[] = [];
    device.emulator.on('command', (l: string) => commands.push(l));
    for (const channel of [4, -1, 1.5, Number.NaN, '0' as unknown as number]) {
      await expect(safe.setPowerPercent(channel, 10)).rejects.toThrow(LightCommandRejectedError);
    }
    expect(commands).toEqual([]);
    expect(clamps.map((c) => c.reason)).toEqual(Array(5).fill('invalid-channel'));
  });

  it('clamps exposure: invalid values to 0, long ones to the maximum', async () => {
    await wrap({ maxPowerPercent: 100, maxExposureMs: 500 });
    expect(safe.clampExposureMs(120)).toBe(120);
    expect(safe.clampExposureMs(5000)).toBe(500);
    expect(safe.clampExposureMs(Number.NaN)).toBe(0);
    expect(safe.clampExposureMs(-3)).toBe(0);
    expect(safe.clampExposureMs('100')).toBe(0);
    expect(clamps.map((c) => [c.reason, c.applied])).toEqual([
      ['max-exposure', 500],
      ['invalid-value', 0],
      ['invalid-value', 0],
      ['invalid-value', 0],
    ]);
  });

  it('brings a device found above its limits down when it takes it over', async () => {
    await led.setPowerPercent(0, 90);
    await led.setChannelOn(0, true);
    await wrap({ maxPowerPercent: 40, maxExposureMs: 1000 });
    expect(device.emulator.state.channels[0]).toMatchObject({ intensityPercent: 40, emitting: true });
    expect(clamps).toEqual([expect.objectContaining({ channel: 0, reason: 'initial-state', requested: 90, applied: 40 })]);
  });

  it.each([
    ['returns NaN', () => Number.NaN],
    [
      'throws',
      () => {
        throw new Error('model crashed');
      },
    ],
    ['times out', () => new Promise<number>((r) => setTimeout(() => r(90), 500))],
    ['returns a string', () => '80'],
  ])('falls back to the lowest adequate light when a model %s, never more than before', async (_what, decide) => {
    await wrap({ maxPowerPercent: 100, maxExposureMs: 1000, fallbackPowerPercent: 20 });
    await safe.setPowerPercent(2, 60);
    await safe.setChannelOn(2, true);
    expect(await safe.setPowerPercentFromDecision(2, decide, { timeoutMs: 100 })).toBe(20);
    expect(device.emulator.state.channels[2].intensityPercent).toBe(20);
    await safe.setPowerPercent(2, 5);
    expect(await safe.setPowerPercentFromDecision(2, decide, { timeoutMs: 100 })).toBe(5);
    expect(clamps.filter((c) => c.reason === 'model-fallback')).toHaveLength(2);
  });

  it('applies a sound model decision through the same limits', async () => {
    await wrap({ maxPowerPercent: 70, maxExposureMs: 1000 });
    expect(await safe.setPowerPercentFromDecision(0, async () => 65, { timeoutMs: 100 })).toBe(65);
    expect(await safe.setPowerPercentFromDecision(0, () => 95, { timeoutMs: 100 })).toBe(70);
    expect(device.emulator.state.channels[0].intensityPercent).toBe(70);
  });

  it('cuts the light when the dose budget of the window is used up, and allows light again once it slides out', async () => {
    await wrap({ maxPowerPercent: 100, maxExposureMs: 100, maxDosePerWindow: { percentSeconds: 30, windowS: 1.2 } });
    await safe.setPowerPercent(0, 100);
    await safe.setChannelOn(0, true);
    expect(device.emulator.state.channels[0].emitting).toBe(true);
    // 30 %·s at 100 % last about 0.3 s.
    await eventually(() => device.emulator.state.channels[0].intensityPercent === 0, 'the envelope to cut the light');
    expect(clamps).toContainEqual(expect.objectContaining({ channel: 0, reason: 'dose-budget', requested: 100, applied: 0 }));
    const dose = safe.doseInWindow();
    expect(dose).toMatchObject({ budget: 30, windowS: 1.2, unit: '%·s' });
    // What is left allows at most a 100 ms exposure at lowered power.
    const lowered = await safe.commandPowerPercent(0, 80);
    expect(lowered).toBeLessThan(80);
    expect(lowered).toBeLessThanOrEqual((30 - (dose?.used ?? 0)) / 0.1 + 1e-9);
    expect(device.emulator.state.channels[0].intensityPercent).toBeLessThanOrEqual(lowered);
    expect(clamps[clamps.length - 1]).toMatchObject({ reason: 'dose-budget', requested: 80, applied: lowered });
    await eventually(() => device.emulator.state.channels[0].intensityPercent === 0, 'the envelope to cut the light again');
    await eventually(() => (safe.doseInWindow()?.used ?? Infinity) < 20, 'the old dose to slide out of the window', 5000);
    expect(await safe.commandPowerPercent(0, 80)).toBe(80);
    expect(device.emulator.state.channels[0].intensityPercent).toBe(80);
  });

  it('counts dose in mW·s and lowers the power of a channel switched on late in the budget', async () => {
    await wrap({
      maxPowerPercent: 100,
      maxExposureMs: 1000,
      maxDosePerWindow: { milliwattSeconds: 10, windowS: 5, fullScaleMw: [10, 200, 10, 10] },
    });
    await safe.setPowerPercent(1, 50); // 100 mW, but 10 mW·s over a 1 s reserve allow 10 mW = 5 %
    expect(await safe.commandChannelOn(1, true)).toBe(true);
    expect(device.emulator.state.channels[1]).toMatchObject({ emitting: true, intensityPercent: 5 });
    expect(clamps).toEqual([expect.objectContaining({ channel: 1, reason: 'dose-budget', requested: 50, applied: 5 })]);
    expect(clamps[0].detail).toMatch(/of 10 mW·s in 5 s/);
    await eventually(() => device.emulator.state.channels[1].intensityPercent === 0, 'the envelope to cut the light');
    expect(await safe.commandPowerPercent(1, 10)).toBe(0);
    expect(await safe.commandChannelOn(2, true)).toBe(true); // channel 2 is at 0 %: switching it on adds no dose
  });

  it('switches everything off through the envelope and books no more dose', async () => {
    await wrap({ maxPowerPercent: 100, maxExposureMs: 1000, maxDosePerWindow: { percentSeconds: 1000, windowS: 10 } });
    await safe.setPowerPercent(3, 50);
    await safe.setChannelOn(3, true);
    await safe.allOff();
    expect(device.emulator.state.channels.every((c) => !c.emitting)).toBe(true);
    const used = safe.doseInWindow()?.used ?? 0;
    await new Promise((r) => setTimeout(r, 50));
    expect(safe.doseInWindow()?.used).toBeCloseTo(used, 6);
  });
});
