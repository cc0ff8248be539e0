import { boundSetting, intervalRangeS, type AgentBounds, type AgentSetting, type PlannedSetting } from './agent-bounds';
import type { AgentDecision, SettingChange } from './agent-decision';
import type { AgentParams } from './agent-params';

/**
 * The decision as a setting for what the plan asked for there: the policy works in its base interval and its
 * exposure, so the planned interval and exposure are scaled by the decision's ratio to them.
 */
export function settingOf(decision: AgentDecision, planned: PlannedSetting, params: AgentParams): AgentSetting {
  return {
    intervalS: planned.intervalS === null ? null : planned.intervalS * (decision.intervalS / params.baseIntervalS),
    exposureMs: planned.exposureMs * (decision.exposureMs / params.exposureMs),
    illuminationPercent: decision.illuminationPercent,
  };
}

/**
 * The policy's decision held inside the user's bounds, and the record of the change: `before` was in force, the
 * manual override (when set) replaces the light of `after`. Only a value a bound changed is taken back into the
 * policy's units, so the policy's own numbers stay as it made them otherwise.
 */
export function boundDecision(
  proposed: AgentDecision,
  planned: PlannedSetting,
  params: AgentParams,
  bounds: AgentBounds,
  before: AgentSetting,
  overrideIlluminationPercent: number | null,
): { decision: AgentDecision; settings: SettingChange } {
  const proposedSetting = settingOf(proposed, planned, params);
  const { applied, clamps } = boundSetting(proposedSetting, planned, bounds);
  const clamped = (field: string) => clamps.some((c) => c.field === field);
  const decision: AgentDecision = {
    ...proposed,
    illuminationPercent: clamped('illuminationPercent') ? applied.illuminationPercent : proposed.illuminationPercent,
    intervalS:
      clamped('intervalS') && planned.intervalS !== null && applied.intervalS !== null && planned.intervalS > 0
        ? applied.intervalS * (params.baseIntervalS / planned.intervalS)
        : proposed.intervalS,
    exposureMs: clamped('exposureMs') ? applied.exposureMs * (params.exposureMs / planned.exposureMs) : proposed.exposureMs,
  };
  const after = overrideIlluminationPercent === null ? applied : { ...applied, illuminationPercent: overrideIlluminationPercent };
  return { decision, settings: { planned, before, proposed: proposedSetting, after, clamps, bounds: boundsRecord(planned, bounds) } };
}

/** A record's settings where nothing changed (a decision that was not applied). */
export function unchangedSettings(planned: PlannedSetting, current: AgentSetting, bounds: AgentBounds): SettingChange {
  return { planned, before: current, proposed: current, after: current, clamps: [], bounds: boundsRecord(planned, bounds) };
}

function boundsRecord(planned: PlannedSetting, bounds: AgentBounds): SettingChange['bounds'] {
  const range = planned.intervalS === null ? null : intervalRangeS(planned.intervalS, bounds);
  return {
    intervalS: range && { min: range.minS, max: range.maxS },
    intervalStretchMax: bounds.intervalStretchMax,
    maxExposureMs: Number.isFinite(bounds.maxExposureMs) ? bounds.maxExposureMs : null,
    maxExposureFrom: bounds.maxExposureFrom,
    maxIlluminationPercent: bounds.maxIlluminationPercent,
  };
}
