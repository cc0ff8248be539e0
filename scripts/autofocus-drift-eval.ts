/**
 * How well autofocus inside a plan holds focus against thermal drift, on the simulated microscope.
 *
 *   node -r ts-node/register/transpile-only scripts/autofocus-drift-eval.ts [--drift-um-per-hour 10]
 *     [--time-scale 120] [--minutes 60] [--modes hardware,software,none]
 *
 * For each mode, a fresh simulator (in this process, so the true focal plane can be read at each frame) whose
 * specimen drifts; a time-lapse of one frame per simulated minute (128×128, 40×/0.75 air, 10 ms) runs through the
 * real runner and engine with the hardware autofocus (fullFocus) before every frame, the software autofocus
 * (z-scan, normalised variance), or none. A frame is in focus when |focus position − true focal plane| ≤ DOF/2,
 * DOF = n·λ/NA² (the axial scale of the simulator's own PSF model). Prints one JSON line per mode.
 */
import { LightGuard } from '../src/hardware/safety';
import { z } from 'zod';
import { parseOptions } from '../src/cli/options';
import { runScript } from '../src/cli/run-script';
import { startMicroManagerSimulator } from '../simulators/micro-manager';
import { BASAL_LAYER_Z_UM, focalDepthUm } from '../simulators/sample';
import { SOFTWARE_AUTOFOCUS } from '../src/acquisition/autofocus';
import { MicroManagerEngine } from '../src/acquisition/engine/micro-manager-engine';
import { iterateEvents, validatePlan } from '../src/acquisition/plans';
import { AcquisitionRun } from '../src/acquisition/runner/runner';
import { connectMicroManager } from '../src/hardware/micro-manager';

const MODES = ['hardware', 'software', 'none'] as const;
type Mode = (typeof MODES)[number];

const Args = z.object({
  driftUmPerHour: z.coerce.number().refine(Number.isFinite, 'must be a number').default(10),
  timeScale: z.coerce.number().positive().default(120),
  minutes: z.coerce.number().int().positive().default(60),
  modes: z
    .string()
    .default(MODES.join(','))
    .transform((text) => text.split(','))
    .pipe(z.array(z.enum(MODES)).min(1)),
});

const USAGE = 'npm run eval:autofocus -- [--drift-um-per-hour 10] [--time-scale 120] [--minutes 60] [--modes a,b,…]';

const OBJECTIVE = { label: 'Nikon 40X Plan Fluor ELWD', numericalAperture: 0.75 };
/** The simulator's lamp (no LED): 488 nm excitation, 525 nm emission; the objective is dry (n = 1). */
const EMISSION_NM = 525;
const REFRACTIVE_INDEX = 1;
const FIELD = { xUm: 60, yUm: -40 };

async function evaluate(mode: Mode, args: z.infer<typeof Args>) {
  const sim = await startMicroManagerSimulator({
    port: 0,
    lightSource: null,
    driftUmPerHour: args.driftUmPerHour,
    timeScale: args.timeScale,
  });
  const core = connectMicroManager({ endpoint: sim.endpoint, timeoutMs: 10_000 });
  try {
    await core.setProperty('Camera', 'OnCameraCCDXSize', 128);
    await core.setProperty('Camera', 'OnCameraCCDYSize', 128);
    await core.setExposure(10);
    await core.setStateLabel('Objective', OBJECTIVE.label);
    await core.setXYPosition('XY', FIELD.xUm, FIELD.yUm);
    // Every mode starts in focus on the plane the hardware autofocus locks onto.
    await core.setPosition('Z', BASAL_LAYER_Z_UM + sim.microscope.drift.offsetUm());
    const device = mode === 'hardware' ? 'Autofocus' : mode === 'software' ? SOFTWARE_AUTOFOCUS : null;
    const plan = validatePlan({
      time_plan: { interval: 60 / args.timeScale, loops: args.minutes },
      ...(device ? { autofocus_plan: { autofocus_device_name: device, autofocus_motor_offset: 0, axes: ['t'] } } : {}),
    });
    const run = new AcquisitionRun({
      events: iterateEvents(plan),
      engine: new MicroManagerEngine({ core, guard: await LightGuard.learn({ core, policy: 'clamp' }, 80) }),
    });
    const errorsUm: number[] = [];
    run.frames$.subscribe((frame) => errorsUm.push(frame.meta.stage.zUm! - (BASAL_LAYER_Z_UM + sim.microscope.drift.offsetUm())));
    const startedMs = performance.now();
    await run.start();
    const wallS = (performance.now() - startedMs) / 1000;
    const depthOfFieldUm = focalDepthUm(EMISSION_NM, OBJECTIVE.numericalAperture, REFRACTIVE_INDEX);
    const absolute = errorsUm.map(Math.abs);
    return {
      mode,
      frames: errorsUm.length,
      inFocusFraction: absolute.filter((e) => e <= depthOfFieldUm / 2).length / errorsUm.length,
      depthOfFieldUm: round(depthOfFieldUm),
      meanAbsErrorUm: round(absolute.reduce((a, b) => a + b, 0) / absolute.length),
      maxAbsErrorUm: round(Math.max(...absolute)),
      driftUmPerHour: args.driftUmPerHour,
      simulatedMinutes: args.minutes,
      timeScale: args.timeScale,
      wallS: round(wallS),
    };
  } finally {
    await core.close();
    await sim.close();
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;

async function main(): Promise<void> {
  const { options: args } = parseOptions(process.argv.slice(2), Args.strict(), USAGE);
  for (const mode of args.modes) process.stdout.write(JSON.stringify(await evaluate(mode, args)) + '\n');
}

runScript('autofocus-drift-eval', main);
