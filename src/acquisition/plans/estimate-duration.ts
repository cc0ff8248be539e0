import { gridCountForEstimate } from './grid-positions';
import type { ExpansionOptions, MDASequence } from './plan-types';
import { hasAxes } from './sequence-axes';
import { phaseIntervalUs, phaseLoops } from './time-points';
import { zPlanCountForEstimate } from './z-positions';

export interface DurationEstimate {
  /** Estimated length of the whole acquisition, seconds. */
  readonly totalDurationS: number;
  /** Estimated time to acquire one time point, seconds. */
  readonly perTimepointS: number;
  /** Whether acquiring one time point takes longer than the plan's interval (in any phase). */
  readonly timeIntervalExceeded: boolean;
}

/**
 * useq-schema's `estimate_sequence_duration`, same formula and same simplifications: exposure only (1 ms for a
 * channel without one), no stage or hardware overheads, `acquire_every` ignored. Counts tiles of area-sized
 * grids with the plan's or the camera's field of view; throws FieldOfViewRequiredError when there is none.
 */
export function estimateDuration(sequence: MDASequence, options: ExpansionOptions = {}): DurationEstimate {
  if (!sequence.stagePositions.some((p) => hasAxes(p.sequence))) return estimateSimple(sequence, options);
  const parent: MDASequence = { ...sequence, stagePositions: [] };
  let total: DurationEstimate = { totalDurationS: 0, perTimepointS: 0, timeIntervalExceeded: false };
  for (const position of sequence.stagePositions) {
    const sub = position.sequence;
    // A sub-sequence takes the parent's plans for the axes it does not plan itself.
    const merged: MDASequence = hasAxes(sub)
      ? {
          ...sub,
          timePlan: sub.timePlan ?? parent.timePlan,
          zPlan: sub.zPlan ?? parent.zPlan,
          gridPlan: sub.gridPlan ?? parent.gridPlan,
          channels: sub.channels.length > 0 ? sub.channels : parent.channels,
        }
      : parent;
    const part = estimateSimple(merged, options);
    total = {
      totalDurationS: total.totalDurationS + part.totalDurationS,
      perTimepointS: total.perTimepointS + part.perTimepointS,
      timeIntervalExceeded: total.timeIntervalExceeded || part.timeIntervalExceeded,
    };
  }
  return total;
}

function estimateSimple(sequence: MDASequence, options: ExpansionOptions): DurationEstimate {
  const positions = Math.max(1, sequence.stagePositions.length);
  const planes = sequence.zPlan ? zPlanCountForEstimate(sequence.zPlan) : 1;
  const tiles = sequence.gridPlan ? gridCountForEstimate(sequence.gridPlan, options) : 1;
  let perTimepointS = 0;
  for (const channel of sequence.channels) {
    const exposureS = (channel.exposureMs || 1) / 1000;
    perTimepointS += exposureS * positions * (channel.doStack ? planes : 1) * tiles;
  }
  const plan = sequence.timePlan;
  if (!plan) return { totalDurationS: perTimepointS, perTimepointS, timeIntervalExceeded: false };
  let totalDurationS = 0;
  let timeIntervalExceeded = false;
  for (const phase of plan.kind === 'multi_phase' ? plan.phases : [plan]) {
    let intervalS = phaseIntervalUs(phase) / 1e6;
    // The real interval is the longer of the planned one and the time one time point takes.
    if (perTimepointS > intervalS) {
      intervalS = perTimepointS;
      timeIntervalExceeded = true;
    }
    totalDurationS += (phaseLoops(phase) - 1) * intervalS + perTimepointS;
  }
  return { totalDurationS, perTimepointS, timeIntervalExceeded };
}
