import type { AgentParams } from './agent-params';

/**
 * The bounds the user sets on what the agent may change: the plan's interval and exposure are what the user asked
 * for, and the agent moves them only inside these. `boundSetting` is the one place they are applied: every event
 * the agent writes and every decision it records goes through it. Light limits stay the hardware envelope's.
 */
export interface AgentBounds {
  /** At most this many times the planned interval (agent.params.intervalStretchMax). */
  readonly intervalStretchMax: number;
  /** Faster than planned only down to this, while following an event (agent.params.eventIntervalS). */
  readonly eventIntervalS: number;
  /** The lower of agent.params.maxExposureMs and the envelope's safety.light.maxExposureMs. */
  readonly maxExposureMs: number;
  /** Which of the two that is, as named in the configuration. */
  readonly maxExposureFrom: 'agent.params.maxExposureMs' | 'safety.light.maxExposureMs';
  readonly maxIlluminationPercent: number;
}

export type BoundName =
  | 'agent.params.intervalStretchMax'
  | 'agent.params.eventIntervalS'
  | 'agent.params.maxExposureMs'
  | 'safety.light.maxExposureMs'
  | 'agent.params.maxIlluminationPercent'
  | 'not a finite number';

/** One value a bound changed: what the policy proposed, what the events get, and the bound's own value. */
export interface BoundClamp {
  readonly field: 'intervalS' | 'exposureMs' | 'illuminationPercent';
  readonly bound: BoundName;
  readonly proposed: number;
  readonly applied: number;
  readonly limit: number;
}

/** What the agent steers. intervalS is null where the plan has no interval (a single time point). */
export interface AgentSetting {
  readonly intervalS: number | null;
  readonly exposureMs: number;
  readonly illuminationPercent: number;
}

/** What the plan asked for, where the setting applies. */
export interface PlannedSetting {
  readonly intervalS: number | null;
  readonly exposureMs: number;
}

export function boundsFrom(params: AgentParams, envelopeMaxExposureMs: number = Number.POSITIVE_INFINITY): AgentBounds {
  const agentMax = params.maxExposureMs ?? Number.POSITIVE_INFINITY;
  return {
    intervalStretchMax: params.intervalStretchMax,
    eventIntervalS: params.eventIntervalS,
    maxExposureMs: Math.min(agentMax, envelopeMaxExposureMs),
    maxExposureFrom: agentMax <= envelopeMaxExposureMs ? 'agent.params.maxExposureMs' : 'safety.light.maxExposureMs',
    maxIlluminationPercent: params.maxIlluminationPercent,
  };
}

/** The intervals the bounds allow for a planned interval: [min(planned, eventIntervalS), planned × intervalStretchMax]. */
export function intervalRangeS(plannedS: number, bounds: AgentBounds): { minS: number; maxS: number } {
  return { minS: Math.min(plannedS, bounds.eventIntervalS), maxS: plannedS * bounds.intervalStretchMax };
}

/**
 * The proposed setting held inside the bounds for what the plan asked for there; anything not a finite number
 * falls back to the plan (interval, exposure) or to no light. Says which bound changed which value.
 */
export function boundSetting(
  proposed: AgentSetting,
  planned: PlannedSetting,
  bounds: AgentBounds,
): { applied: AgentSetting; clamps: BoundClamp[] } {
  const clamps: BoundClamp[] = [];
  const clamp = (field: BoundClamp['field'], value: number, applied: number, bound: BoundName, limit: number) => {
    clamps.push({ field, bound, proposed: value, applied, limit });
    return applied;
  };

  let intervalS: number | null = null;
  if (planned.intervalS !== null) {
    const { minS, maxS } = intervalRangeS(planned.intervalS, bounds);
    const value = proposed.intervalS ?? planned.intervalS;
    // rounding in the planned start times is not a clamp worth recording
    const slackS = 1e-9 * Math.max(1, maxS);
    if (!Number.isFinite(value) || value < 0)
      intervalS = clamp('intervalS', value, planned.intervalS, 'not a finite number', planned.intervalS);
    else if (value > maxS + slackS)
      intervalS = clamp('intervalS', value, maxS, 'agent.params.intervalStretchMax', bounds.intervalStretchMax);
    else if (value < minS - slackS) intervalS = clamp('intervalS', value, minS, 'agent.params.eventIntervalS', bounds.eventIntervalS);
    else intervalS = Math.min(maxS, Math.max(minS, value));
  }

  let exposureMs = proposed.exposureMs;
  const exposureLimit = bounds.maxExposureMs;
  if (!Number.isFinite(exposureMs) || exposureMs <= 0) {
    exposureMs = clamp('exposureMs', exposureMs, Math.min(planned.exposureMs, exposureLimit), 'not a finite number', planned.exposureMs);
  } else if (exposureMs > exposureLimit) {
    exposureMs = clamp('exposureMs', exposureMs, exposureLimit, bounds.maxExposureFrom, exposureLimit);
  }

  let illuminationPercent = proposed.illuminationPercent;
  if (!Number.isFinite(illuminationPercent) || illuminationPercent < 0) {
    illuminationPercent = clamp('illuminationPercent', illuminationPercent, 0, 'not a finite number', 0);
  } else if (illuminationPercent > bounds.maxIlluminationPercent) {
    illuminationPercent = clamp(
      'illuminationPercent',
      illuminationPercent,
      bounds.maxIlluminationPercent,
      'agent.params.maxIlluminationPercent',
      bounds.maxIlluminationPercent,
    );
  }
  return { applied: { intervalS, exposureMs, illuminationPercent }, clamps };
}

/** One sentence per clamp, for the decision's reason. */
export function describeClamps(clamps: readonly BoundClamp[]): string {
  return clamps
    .map((c) => {
      const unit = c.field === 'intervalS' ? ' s' : c.field === 'exposureMs' ? ' ms' : ' %';
      const limit = c.bound === 'agent.params.intervalStretchMax' ? `${c.limit}× the planned interval` : `${c.limit}${unit}`;
      return `${c.field} ${fmt(c.proposed)}${unit} → ${fmt(c.applied)}${unit} (${c.bound} ${limit})`;
    })
    .join('; ');
}

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));
