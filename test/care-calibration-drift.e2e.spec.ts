import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MicroManagerCamera, MicroManagerLightSource } from '../src/hardware/micro-manager';
import { SafeLightSource } from '../src/hardware/safety';
import { acquirePairs } from '../src/models/care/calibration/acquire-pairs';
import { CalibrationFiles } from '../src/models/care/calibration/calibration-files';
import { planCalibration } from '../src/models/care/calibration/calibration-plan';
import { startSimulatedScope, type SimulatedScope } from './support/simulated-run';

describe('calibration pairs that drift (the simulated microscope, its stage pushed between low and high)', () => {
  let scope: SimulatedScope;
  let directory: string;

  beforeAll(async () => {
    scope = await startSimulatedScope({ lightSource: 'LED' });
    await scope.core.setProperty('Camera', 'OnCameraCCDXSize', 64);
    await scope.core.setProperty('Camera', 'OnCameraCCDYSize', 64);
    directory = await mkdtemp(join(tmpdir(), 'scope-care-drift-'));
  }, 30_000);
  afterAll(async () => {
    await scope.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('re-takes a pair that moved once, drops one that moved twice, keeps the raw frames of every attempt, and says so', async () => {
    const { core } = scope;
    const stage = await core.getXYStageDevice();
    const light = new SafeLightSource(new MicroManagerLightSource(core, 'LED'), { maxPowerPercent: 80, maxExposureMs: 1000 });
    const plan = planCalibration(
      {
        lowPercent: 10,
        highPercent: 80,
        exposureMs: 10,
        doseBudgetPercentSeconds: 100,
        count: 3,
        positions: [0, 200, -200].map((x) => ({ xUm: x, yUm: 0 })),
      },
      light.limits,
      { channel: 0, current: { xUm: 0, yUm: 0 }, fieldUm: 64 },
    );
    // The specimen "moves" 3 µm (3 px) between the low and the high frame: at position 1 on both attempts, at 2 on the first.
    const drifting = new Set(['1:1', '1:2', '2:1']);
    let position = 0;
    let attempt = 0;
    let frames = 0;
    const real = new MicroManagerCamera(core, 'Camera');
    const camera = {
      label: real.label,
      getExposureMs: () => real.getExposureMs(),
      setExposureMs: (ms: number) => real.setExposureMs(ms),
      snap: async () => {
        const image = await real.snap();
        const isLow = frames++ % 2 === 0;
        if (isLow) attempt++;
        if (isLow && drifting.has(`${position}:${attempt}`)) {
          const at = await core.getXYPosition(stage);
          await core.setXYPosition(stage, at.x + 3, at.y);
          await core.waitForDevice(stage);
        }
        return image;
      },
    };
    const files = await CalibrationFiles.create(directory, 1);
    const result = await acquirePairs(
      plan,
      {
        light,
        camera,
        origin: 'drift test',
        moveTo: async ({ xUm, yUm }) => {
          position = [0, 200, -200].indexOf(xUm);
          attempt = 0;
          await core.setXYPosition(stage, xUm, yUm);
          await core.waitForDevice(stage);
        },
      },
      files,
      { maxDriftPx: 0.5, settleMs: 0 },
    );
    light.dispose();
    expect(result.pairs.map((p) => p.outcome)).toEqual(['kept', 'dropped', 'kept']);
    expect(result.retakes).toBe(2);
    const [kept, dropped, retaken] = result.pairs;
    expect(kept.attempts).toHaveLength(1);
    expect(dropped.attempts.map((a) => a.accepted)).toEqual([false, false]);
    // the content moved 3 px to the left in the high frame (the stage moved right): measured to a few tenths
    for (const a of dropped.attempts) expect(Math.abs(a.driftPx.dx + 3)).toBeLessThan(0.3);
    expect(dropped.reason).toMatch(/^drifted 2\.\d\d px \(more than 0\.5 px\)$/);
    expect(kept.reason).toBeUndefined();
    expect(retaken.attempts.map((a) => a.accepted)).toEqual([false, true]);
    expect(retaken.files).toEqual({ low: 'low/002.tif', high: 'high/002.tif' });
    // raw is never deleted: rejected attempts are moved aside, the dropped position has no pair in low/ high/
    for (const name of ['001-attempt1-low.tif', '001-attempt1-high.tif', '001-attempt2-low.tif', '002-attempt1-high.tif'])
      expect(existsSync(join(directory, 'rejected', name))).toBe(true);
    expect(existsSync(join(directory, 'low', '001.tif'))).toBe(false);
    expect(existsSync(join(directory, 'low', '000.tif'))).toBe(true);
    // five pairs taken, each (10 + 80) % for 10 ms
    expect(result.usedPercentSeconds).toBeCloseTo(5 * 0.9, 6);
    const channels = await new MicroManagerLightSource(core, 'LED').getChannels();
    expect(channels.every((c) => !c.on)).toBe(true);
  }, 60_000);
});
