import type { Camera, Image } from '../../../hardware/devices';
import type { SafeLightSource } from '../../../hardware/safety';
import { CalibrationRefusedError } from './calibration-errors';
import { CalibrationFiles } from './calibration-files';
import type { CalibrationPlan } from './calibration-plan';
import type { CalibrationPair, PairAttempt } from './calibration-report';
import type { StagePosition } from './calibration-request';
import { phaseCorrelate, significantPeak } from './phase-correlation';

export interface PairHardware {
  readonly light: SafeLightSource;
  readonly camera: Camera;
  readonly moveTo: (position: StagePosition) => Promise<void>;
  /** Who the light envelope logs as asking. */
  readonly origin: string;
}

export interface PairProgress {
  readonly pairs: readonly CalibrationPair[];
  readonly usedPercentSeconds: number;
  readonly retakes: number;
  readonly stopped?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ATTEMPTS = 2;

/**
 * One frame at `percent`: power set and channel on through the envelope, one exposure, channel off again (also on
 * failure). A level the envelope lowered (dose window, maximum) would make a false pair, so it stops the run.
 */
async function frameAt(hardware: PairHardware, channel: number, percent: number): Promise<Image> {
  const applied = await hardware.light.commandPowerPercent(channel, percent, hardware.origin);
  if (Math.abs(applied - percent) > 1e-6) {
    throw new CalibrationRefusedError(`the light envelope applied ${applied} % instead of ${percent} % on channel ${channel}; calibration stopped`);
  }
  try {
    const on = await hardware.light.commandChannelOn(channel, true, hardware.origin);
    if (!on) throw new CalibrationRefusedError(`the light envelope kept channel ${channel} off (dose window used up); calibration stopped`);
    return await hardware.camera.snap();
  } finally {
    await hardware.light.commandChannelOn(channel, false, hardware.origin);
  }
}

const asNumbers = (image: Image): Float32Array => Float32Array.from(image.pixels);

/**
 * Takes a low- and a high-light frame at every position, writes each raw pair before anything else reads it, then
 * registers low against high: a pair that moved more than `maxDriftPx` is moved to rejected/ and re-taken once,
 * then dropped. Stops early, saying why, when the next pair would exceed the dose budget.
 */
export async function acquirePairs(
  plan: CalibrationPlan,
  hardware: PairHardware,
  files: CalibrationFiles,
  options: { readonly maxDriftPx: number; readonly settleMs: number; readonly onPair?: (progress: PairProgress) => void | Promise<void> },
): Promise<PairProgress> {
  const pairs: CalibrationPair[] = [];
  let used = 0;
  let retakes = 0;
  let stopped: string | undefined;
  const progress = (): PairProgress => ({ pairs: [...pairs], usedPercentSeconds: used, retakes, ...(stopped ? { stopped } : {}) });
  await hardware.camera.setExposureMs(hardware.light.clampExposureMs(plan.exposureMs));
  for (const [index, position] of plan.positions.entries()) {
    if (stopped) {
      pairs.push({ index, position, attempts: [], outcome: 'skipped' });
      continue;
    }
    await hardware.moveTo(position);
    await sleep(options.settleMs);
    const attempts: PairAttempt[] = [];
    let kept: { low: string; high: string } | undefined;
    for (let attempt = 1; attempt <= ATTEMPTS && !kept; attempt++) {
      if (used + plan.pairDosePercentSeconds > plan.doseBudgetPercentSeconds + 1e-9) {
        stopped = `dose budget of ${plan.doseBudgetPercentSeconds} %·s reached after ${used.toFixed(3)} %·s`;
        break;
      }
      if (attempt > 1) retakes++;
      const low = await frameAt(hardware, plan.channel, plan.lowPercent);
      used += (plan.lowPercent * plan.exposureMs) / 1000;
      const high = await frameAt(hardware, plan.channel, plan.highPercent);
      used += (plan.highPercent * plan.exposureMs) / 1000;
      const where = `position ${index} (${position.xUm}, ${position.yUm}) µm, attempt ${attempt}`;
      const lowFile = await files.writeFrame('low', index, low, `CARE calibration: ${plan.lowPercent} % for ${plan.exposureMs} ms, ${where}`);
      const highFile = await files.writeFrame('high', index, high, `CARE calibration: ${plan.highPercent} % for ${plan.exposureMs} ms, ${where}`);
      const shift = phaseCorrelate(asNumbers(low), asNumbers(high), low.width, low.height);
      const magnitude = Math.hypot(shift.dxPx, shift.dyPx);
      const accepted = magnitude <= options.maxDriftPx;
      const driftPx = { dx: shift.dxPx, dy: shift.dyPx, magnitude };
      const measured = { attempt, driftPx, peak: shift.peak, significance: shift.significance, accepted };
      if (accepted) {
        kept = { low: lowFile, high: highFile };
        attempts.push(measured);
      } else {
        const noise = significantPeak(low.width, low.height);
        const reason =
          shift.significance < noise
            ? `drift unreadable: the low frame shares too little structure with the high one (correlation peak ${shift.significance.toFixed(1)} σ, noise alone reaches about ${noise.toFixed(1)} σ); read as ${magnitude.toFixed(1)} px`
            : `drifted ${magnitude.toFixed(2)} px (more than ${options.maxDriftPx} px)`;
        attempts.push({ ...measured, reason, rejectedFiles: await files.reject(index, attempt) });
      }
    }
    const reason = kept ? undefined : attempts.at(-1)?.reason;
    pairs.push({
      index,
      position,
      attempts,
      outcome: kept ? 'kept' : attempts.length ? 'dropped' : 'skipped',
      ...(kept ? { files: kept } : {}),
      ...(reason ? { reason } : {}),
    });
    await options.onPair?.(progress());
  }
  return progress();
}
