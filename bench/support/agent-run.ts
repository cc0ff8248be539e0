/**
 * One policy, one seed: the simulated time-lapse through the real acquisition runner and safety envelope, in
 * simulated time, then scored against the dish's ground truth (agent-metrics.ts).
 */
import type { MDAEvent } from '../../src/acquisition/plans';
import { AcquisitionRun, type EventHooks } from '../../src/acquisition/runner/runner';
import { SafeLightSource } from '../../src/hardware/safety';
import type { CareModel } from '../../src/models/care/care-model';
import { restorationMetrics } from '../../src/models/care/evaluation/image-metrics';
import { DishLamp, PhotodamageDish } from '../../simulators/sample/photodamage';
import { DishEngine, plannedEvents } from '../../scripts/phototox-dish-engine';
import { detectorScore, inAnyWindow, mitosesImagedFast, mitosisWindows } from './agent-metrics';
import { policyRun, type Policy } from './agent-policies';

/** One run's numbers; NaN where the policy has no such thing (no detector, no restorer). */
export interface RunOutcome {
  readonly dose: number;
  readonly cellsAlive: number;
  readonly mitosesOccurred: number;
  readonly mitosesImagedFast: number;
  readonly mitosesDetected: number;
  readonly falseFires: number;
  /** Completed mitoses with ≥ 3 frames inside (the dish's own mitosesCaptured, as the bench reported before). */
  readonly mitosesCaptured: number;
  readonly ssim: number;
  readonly ssimEvents: number;
  readonly ssimRaw: number;
  readonly frames: number;
  readonly framesInEvents: number;
}

export type MetricName = keyof RunOutcome;

const SIZE_PX = 128;

export async function runOne(policy: Policy, seed: number, durationS: number, care: CareModel | undefined): Promise<RunOutcome> {
  const clock = { nowMs: 0 };
  const dish = new PhotodamageDish({ seed });
  const lamp = new DishLamp(488, 100);
  const light = new SafeLightSource(
    lamp,
    { maxPowerPercent: 100, maxExposureMs: 1000, fallbackPowerPercent: 2 },
    { now: () => clock.nowMs, logger: { warn: () => undefined } },
  );
  const engine = new DishEngine(dish, lamp, light, clock);
  const run = policyRun(policy, seed, durationS, () => clock.nowMs);
  let dose = 0;
  const frameTimesS: number[] = [];
  // Ends the experiment at its duration, and lets simulated time jump to each event's start.
  const timing: EventHooks<MDAEvent> = {
    beforeEvent: (e) => {
      if ((e.minStartTimeS ?? 0) > durationS) return null;
      clock.nowMs = Math.max(clock.nowMs, (e.minStartTimeS ?? 0) * 1000);
      return e;
    },
    afterEvent: (_e, frames) => {
      for (const f of frames) {
        dose += (f.meta.illumination?.powerPercent ?? 0) * (f.meta.exposureMs / 1000);
        frameTimesS.push((f.meta.wallTimeMs - f.meta.exposureMs) / 1000);
      }
    },
  };
  // Time points past the end too: a policy that used its time points sooner still images until the end.
  const acquisition = new AcquisitionRun<MDAEvent>({
    events: plannedEvents(policy.planIntervalS, 2 * durationS),
    engine,
    hooks: [...run.hooks, timing],
    clock: () => clock.nowMs,
  });
  const progress = await acquisition.start();
  run.dispose();
  light.dispose();
  if (progress.state !== 'finished') throw new Error(`${policy.name} seed ${seed}: run ${progress.state}: ${progress.error}`);
  // every policy is judged at the same moment, whenever its last frame was
  dish.advanceTo(durationS);

  const windows = mitosisWindows(dish.mitoses(), durationS, dish.params.mitosisDurationS);
  let [ssimSum, ssimRawSum, eventSum, eventFrames] = [0, 0, 0, 0];
  for (let i = 0; i < engine.frames.length; i++) {
    const { raw, clean } = engine.frames[i];
    const ssimRaw = restorationMetrics(raw, clean, SIZE_PX, SIZE_PX).ssim;
    const ssim = care ? restorationMetrics((await care.restore(raw, SIZE_PX, SIZE_PX)).restored, clean, SIZE_PX, SIZE_PX).ssim : ssimRaw;
    ssimSum += ssim;
    ssimRawSum += ssimRaw;
    if (inAnyWindow(frameTimesS[i], windows)) {
      eventSum += ssim;
      eventFrames++;
    }
  }
  const score = run.fireTimesS ? detectorScore(windows, run.fireTimesS) : { detected: NaN, falseFires: NaN };
  const frames = engine.frames.length;
  return {
    dose,
    cellsAlive: dish.cellsAlive(),
    mitosesOccurred: windows.length,
    mitosesImagedFast: mitosesImagedFast(windows, frameTimesS, run.fastGapS),
    mitosesDetected: score.detected,
    falseFires: score.falseFires,
    mitosesCaptured: dish.mitosesCaptured(3),
    ssim: ssimSum / frames,
    ssimEvents: eventFrames > 0 ? eventSum / eventFrames : NaN,
    ssimRaw: ssimRawSum / frames,
    frames,
    framesInEvents: eventFrames,
  };
}
