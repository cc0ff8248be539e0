import { LightGuard } from '../src/hardware/safety';
import { focalDepthUm } from '../simulators/sample';
import { SOFTWARE_AUTOFOCUS, normalizedVariance } from '../src/acquisition/autofocus';
import { MicroManagerEngine } from '../src/acquisition/engine/micro-manager-engine';
import type { Frame } from '../src/acquisition/frame';
import { iterateEvents, validatePlan } from '../src/acquisition/plans';
import { AcquisitionRun } from '../src/acquisition/runner/runner';
import { connectMicroManager, type MicroManagerCore } from '../src/hardware/micro-manager';
import { startSimulatorChild, type SimulatorChild } from './support/simulator-child';

/** 10 µm per simulated hour at 180× simulated time: the focal plane rises 0.5 µm per wall-clock second. */
const DRIFT_UM_PER_HOUR = 10;
const TIME_SCALE = 180;
const DRIFT_UM_PER_MS = (DRIFT_UM_PER_HOUR * TIME_SCALE) / 3600 / 1000;
/** The simulator's 40×/0.75 air objective under its lamp (emission 525 nm): depth of field λ/NA², half of it either side. */
const HALF_DEPTH_OF_FIELD_UM = focalDepthUm(525, 0.75) / 2;
const LOOPS = 8;

const plan = (autofocusDevice: string | null) =>
  validatePlan({
    time_plan: { interval: 0.5, loops: LOOPS },
    ...(autofocusDevice ? { autofocus_plan: { autofocus_device_name: autofocusDevice, autofocus_motor_offset: 0, axes: ['t'] } } : {}),
  });

interface Tracked {
  readonly frames: Frame[];
  /** Where the focal plane was when each frame arrived, µm, from the hardware autofocus right after the run. */
  readonly planeUm: number[];
}

describe('autofocus inside a plan, on a simulated microscope whose focus drifts', () => {
  let sim: SimulatorChild;
  let core: MicroManagerCore;

  /** Runs the plan through the real runner and engine, then locates the drifted plane to judge every frame. */
  async function runTracked(autofocusDevice: string | null): Promise<Tracked> {
    const engine = new MicroManagerEngine({
      core,
      guard: await LightGuard.learn({ core, policy: 'clamp' }, 80),
      softwareAutofocus: { coarseRangeUm: 4, coarseStepUm: 1, fineRangeUm: 1, fineStepUm: 0.25 },
    });
    const run = new AcquisitionRun({ events: iterateEvents(plan(autofocusDevice)), engine });
    const frames: Frame[] = [];
    run.frames$.subscribe((frame) => frames.push(frame));
    const progress = await run.start();
    expect(progress).toMatchObject({ framesAcquired: LOOPS });
    await core.fullFocus();
    const planeNowUm = await core.getPosition('Z');
    const nowMs = Date.now();
    return { frames, planeUm: frames.map((frame) => planeNowUm - DRIFT_UM_PER_MS * (nowMs - frame.meta.wallTimeMs)) };
  }

  const focusErrorsUm = ({ frames, planeUm }: Tracked) => frames.map((frame, i) => Math.abs(frame.meta.stage.zUm! - planeUm[i]));
  /** Slope of the frames' focus positions against their arrival times, µm/ms. */
  const zSlope = ({ frames }: Tracked) => {
    const t = frames.map((frame) => frame.meta.wallTimeMs);
    const z = frames.map((frame) => frame.meta.stage.zUm!);
    const tMean = t.reduce((a, b) => a + b) / t.length;
    const zMean = z.reduce((a, b) => a + b) / z.length;
    const covariance = t.reduce((sum, ti, i) => sum + (ti - tMean) * (z[i] - zMean), 0);
    return covariance / t.reduce((sum, ti) => sum + (ti - tMean) ** 2, 0);
  };

  beforeAll(async () => {
    sim = await startSimulatorChild(['--drift-um-per-hour', String(DRIFT_UM_PER_HOUR), '--time-scale', String(TIME_SCALE), '--no-led']);
    core = connectMicroManager({ endpoint: sim.endpoint, timeoutMs: 5000 });
    await core.setProperty('Camera', 'OnCameraCCDXSize', 128);
    await core.setProperty('Camera', 'OnCameraCCDYSize', 128);
    await core.setExposure(10);
    await core.setStateLabel('Objective', 'Nikon 40X Plan Fluor ELWD');
    await core.setXYPosition('XY', 60, -40);
    await core.setAutoFocusOffset(0);
  }, 30_000);

  afterAll(async () => {
    await core?.close();
    await sim?.stop();
  });

  let withoutAutofocus: Tracked;

  it('without autofocus the focus stays put while the plane drifts away, out of the depth of field', async () => {
    await core.fullFocus();
    withoutAutofocus = await runTracked(null);
    const zs = withoutAutofocus.frames.map((frame) => frame.meta.stage.zUm!);
    expect(new Set(zs).size).toBe(1);
    expect(focusErrorsUm(withoutAutofocus).at(-1)!).toBeGreaterThan(3 * HALF_DEPTH_OF_FIELD_UM);
  }, 20_000);

  it('with the hardware autofocus every frame sits on the drifted plane, and the focus rises with it', async () => {
    await core.setPosition('Z', 0);
    const tracked = await runTracked('Autofocus');
    for (const errorUm of focusErrorsUm(tracked)) expect(errorUm).toBeLessThan(HALF_DEPTH_OF_FIELD_UM);
    expect(zSlope(tracked)).toBeGreaterThan(0.7 * DRIFT_UM_PER_MS);
    expect(zSlope(tracked)).toBeLessThan(1.3 * DRIFT_UM_PER_MS);
    const lastSharpness = normalizedVariance(tracked.frames.at(-1)!.pixels);
    expect(lastSharpness).toBeGreaterThan(normalizedVariance(withoutAutofocus.frames.at(-1)!.pixels));
  }, 20_000);

  it('with the software autofocus the frames follow the drifted plane too', async () => {
    await core.fullFocus();
    await core.setRelativePosition('Z', -1.5);
    const tracked = await runTracked(SOFTWARE_AUTOFOCUS);
    const errorsUm = focusErrorsUm(tracked);
    // The scan takes a few hundred ms, during which the plane moves on: allow a little beyond the depth of field.
    expect(errorsUm.filter((e) => e <= HALF_DEPTH_OF_FIELD_UM).length).toBeGreaterThanOrEqual(LOOPS - 2);
    for (const errorUm of errorsUm) expect(errorUm).toBeLessThan(2 * HALF_DEPTH_OF_FIELD_UM);
    expect(zSlope(tracked)).toBeGreaterThan(0.5 * DRIFT_UM_PER_MS);
    expect(normalizedVariance(tracked.frames.at(-1)!.pixels)).toBeGreaterThan(normalizedVariance(withoutAutofocus.frames.at(-1)!.pixels));
  }, 20_000);
});
