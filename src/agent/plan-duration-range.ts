import { estimateDuration, type ExpansionOptions, type MDASequence, type SinglePhaseTimePlan, type TimePlan } from '../acquisition/plans';
import { phaseIntervalUs, phaseLoops } from '../acquisition/plans/time-points';
import type { AgentBounds } from './policy/agent-bounds';

/** What a plan preview says about the agent: whether it is on, and then how long the plan may take under its bounds. */
export type AgentPlanOutlook =
  | { readonly enabled: false; readonly note: string }
  | {
      readonly enabled: true;
      readonly intervalStretchMax: number;
      readonly maxExposureMs: number;
      /** The planned duration, and the shortest and longest the bounds allow; null where the plan's cannot be estimated. */
      readonly durationS: { readonly planned: number; readonly min: number; readonly max: number } | null;
      readonly note: string;
    };

/** The plan with every interval replaced by `scale(planned interval s)` (loops kept), its sub-sequences' too. */
function withIntervals(sequence: MDASequence, scale: (intervalS: number) => number): MDASequence {
  const phase = (p: SinglePhaseTimePlan): SinglePhaseTimePlan => ({
    kind: 'interval_loops',
    prioritizeDuration: p.prioritizeDuration,
    intervalUs: Math.round(scale(phaseIntervalUs(p) / 1e6) * 1e6),
    loops: phaseLoops(p),
  });
  const plan = (t: TimePlan | null): TimePlan | null =>
    t === null ? null : t.kind === 'multi_phase' ? { ...t, phases: t.phases.map(phase) } : phase(t);
  return {
    ...sequence,
    timePlan: plan(sequence.timePlan),
    stagePositions: sequence.stagePositions.map((p) => (p.sequence ? { ...p, sequence: withIntervals(p.sequence, scale) } : p)),
  };
}

function hasInterval(sequence: MDASequence): boolean {
  const phases = (t: TimePlan | null) => (t === null ? [] : t.kind === 'multi_phase' ? t.phases : [t]);
  const own = phases(sequence.timePlan).some((p) => phaseLoops(p) > 1 && phaseIntervalUs(p) > 0);
  return own || sequence.stagePositions.some((p) => p.sequence !== null && hasInterval(p.sequence));
}

/** "4.5 s", "12 min 30 s", "2 h 5 min". */
export function formatDurationS(s: number): string {
  if (s < 120) return `${Number(s.toPrecision(3))} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/**
 * The range of durations the agent's bounds allow a plan: planned intervals at most × intervalStretchMax, at least
 * the shorter of the planned and the event interval; exposures as planned, capped at the bound. Estimated as
 * useq-schema estimates the plan itself (estimateDuration), with a sentence saying what the agent may do.
 */
export function agentPlanOutlook(plan: MDASequence, fov: ExpansionOptions, bounds: AgentBounds, enabled: boolean): AgentPlanOutlook {
  if (!enabled) return { enabled: false, note: 'The agent is off: the plan runs as planned.' };
  const capped = (sequence: MDASequence): MDASequence => ({
    ...sequence,
    channels: sequence.channels.map((c) =>
      c.exposureMs && c.exposureMs > bounds.maxExposureMs ? { ...c, exposureMs: bounds.maxExposureMs } : c,
    ),
    stagePositions: sequence.stagePositions.map((p) => (p.sequence ? { ...p, sequence: capped(p.sequence) } : p)),
  });
  const estimate = (sequence: MDASequence) => {
    try {
      return estimateDuration(sequence, fov).totalDurationS;
    } catch {
      return null;
    }
  };
  const planned = estimate(plan);
  const min = estimate(withIntervals(capped(plan), (s) => Math.min(s, bounds.eventIntervalS)));
  const max = estimate(withIntervals(capped(plan), (s) => s * bounds.intervalStretchMax));
  const durationS = planned === null || min === null || max === null ? null : { planned, min, max };
  const exposure = `exposures stay as planned, at most ${bounds.maxExposureMs} ms (${bounds.maxExposureFrom})`;
  const N = bounds.intervalStretchMax;
  let note: string;
  if (!hasInterval(plan)) {
    note = `The agent is on; the plan has no interval for it to stretch${durationS ? `: it takes the planned ${formatDurationS(durationS.planned)}` : ''}; ${exposure}.`;
  } else if (N > 1) {
    note =
      `The agent is on: it may stretch intervals up to ${N}× the planned interval (agent.params.intervalStretchMax)` +
      (durationS
        ? `, so the plan takes ${formatDurationS(durationS.min)} to ${formatDurationS(durationS.max)} (planned ${formatDurationS(durationS.planned)})`
        : '') +
      `; ${exposure}.`;
  } else {
    note =
      `The agent is on and keeps the planned intervals (agent.params.intervalStretchMax 1)` +
      (durationS ? `: the plan takes the planned ${formatDurationS(durationS.planned)}` : '') +
      (durationS && durationS.min < durationS.planned
        ? `, or as little as ${formatDurationS(durationS.min)} while it follows an event`
        : '') +
      `; ${exposure}.`;
  }
  return { enabled: true, intervalStretchMax: N, maxExposureMs: bounds.maxExposureMs, durationS, note };
}
