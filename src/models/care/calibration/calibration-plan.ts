import { maxPowerPercentFor, type LightSafetyLimits } from '../../../hardware/safety';
import { CalibrationRefusedError } from './calibration-errors';
import type { CalibrationRequest, StagePosition } from './calibration-request';

export interface CalibrationPlan {
  readonly channel: number;
  readonly lowPercent: number;
  readonly highPercent: number;
  readonly exposureMs: number;
  readonly positions: readonly StagePosition[];
  /** Dose of one pair (low + high frame), % · s. */
  readonly pairDosePercentSeconds: number;
  readonly doseBudgetPercentSeconds: number;
}

/** `count` fields on a near-square grid centred on `centre`, `stepUm` apart, row by row. */
export function gridAround(centre: StagePosition, count: number, stepUm: number): StagePosition[] {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const positions: StagePosition[] = [];
  for (let i = 0; i < count; i++) {
    const column = i % columns;
    const row = Math.floor(i / columns);
    positions.push({ xUm: centre.xUm + (column - (columns - 1) / 2) * stepUm, yUm: centre.yUm + (row - (rows - 1) / 2) * stepUm });
  }
  return positions;
}

/**
 * Checks a calibration against the light envelope before anything moves: the high level within the channel's
 * maximum power, the exposure within the maximum exposure, and the user's dose budget (and the envelope's window
 * budget) enough for every pair. Refusals name the request field and the limit.
 */
export function planCalibration(
  request: CalibrationRequest,
  limits: LightSafetyLimits,
  context: { readonly channel: number; readonly current: StagePosition; readonly fieldUm: number },
): CalibrationPlan {
  const channel = request.channel ?? context.channel;
  const max = maxPowerPercentFor(limits, channel);
  if (request.highPercent > max) {
    throw new CalibrationRefusedError(
      `highPercent: ${request.highPercent} % is above the light envelope's maximum of ${max} % for channel ${channel} (safety.light.maxPowerPercent)`,
    );
  }
  if (request.exposureMs > limits.maxExposureMs) {
    throw new CalibrationRefusedError(`exposureMs: ${request.exposureMs} ms is above the light envelope's maximum exposure of ${limits.maxExposureMs} ms (safety.light.maxExposureMs)`);
  }
  const positions = request.positions ?? gridAround(context.current, request.count, request.gridStepUm ?? context.fieldUm);
  const pairDose = ((request.lowPercent + request.highPercent) * request.exposureMs) / 1000;
  const needed = pairDose * positions.length;
  if (needed > request.doseBudgetPercentSeconds) {
    throw new CalibrationRefusedError(
      `doseBudgetPercentSeconds: ${request.doseBudgetPercentSeconds} %·s cannot cover ${positions.length} pairs at ${request.lowPercent} % and ${request.highPercent} % for ${request.exposureMs} ms: they need ${round(needed)} %·s`,
    );
  }
  const window = limits.maxDosePerWindow;
  if (window && 'percentSeconds' in window && needed > window.percentSeconds) {
    throw new CalibrationRefusedError(
      `${positions.length} pairs need ${round(needed)} %·s, more than the light envelope allows in ${window.windowS} s (safety.light.maxDosePerWindow.percentSeconds: ${window.percentSeconds})`,
    );
  }
  return {
    channel,
    lowPercent: request.lowPercent,
    highPercent: request.highPercent,
    exposureMs: request.exposureMs,
    positions,
    pairDosePercentSeconds: pairDose,
    doseBudgetPercentSeconds: request.doseBudgetPercentSeconds,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
