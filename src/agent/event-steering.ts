import type { MDAEvent } from '../acquisition/plans';
import { boundSetting, type AgentBounds, type PlannedSetting } from './policy/agent-bounds';
import { settingOf } from './policy/bounded-decision';
import type { AgentDecision } from './policy/agent-decision';
import type { AgentParams } from './policy/agent-params';

/**
 * Writes the agent's decision into each event, relative to what the plan asked for there: the interval to the
 * previous time point is the planned one scaled by the decision (decision interval ÷ base interval), the exposure
 * the planned one (of that channel) scaled the same way, and both go through `boundSetting` per event, so no event
 * leaves the agent outside the user's bounds. It follows the plan's own schedule whether the agent is on or off:
 * start times are the planned ones plus the delay the agent has built up (none while nothing is stretched).
 */
export class EventSteering {
  /** The plan's interval (from its time plan, or the last gap between planned time points). */
  private plannedIntervalS: number | null = null;
  /** The plan's exposure, from its first event that has one (the reference channel). */
  private plannedExposureMs: number | null = null;
  private lastT?: number;
  private lastPlannedStartS?: number;
  private delayS = 0;

  reset(plannedIntervalS: number | null): void {
    this.plannedIntervalS = plannedIntervalS;
    this.plannedExposureMs = null;
    this.lastT = this.lastPlannedStartS = undefined;
    this.delayS = 0;
  }

  /** What the plan asks for, as far as the events so far tell; exposure defaults to the agent's configured one. */
  planned(params: AgentParams): PlannedSetting {
    return { intervalS: this.plannedIntervalS, exposureMs: this.plannedExposureMs ?? params.exposureMs };
  }

  /**
   * The event as the agent sends it (`steer` false: as planned, only followed). The override, a manual choice,
   * is not the agent's to bound: the hardware envelope holds it like any other light command.
   */
  apply(
    event: MDAEvent,
    steer: boolean,
    decision: AgentDecision,
    params: AgentParams,
    bounds: AgentBounds,
    overrideIlluminationPercent: number | null,
  ): MDAEvent {
    if (this.plannedExposureMs === null && event.exposureMs !== undefined && event.exposureMs > 0)
      this.plannedExposureMs = event.exposureMs;
    const t = event.index.t ?? 0;
    const plannedStartS = event.minStartTimeS;
    const newTimePoint =
      plannedStartS !== undefined &&
      !event.resetEventTimer &&
      this.lastPlannedStartS !== undefined &&
      this.lastT !== undefined &&
      t !== this.lastT;
    const gapS = newTimePoint ? Math.max(0, plannedStartS - this.lastPlannedStartS!) : null;
    if (gapS !== null && gapS > 0) this.plannedIntervalS = gapS;
    this.lastT = t;
    this.lastPlannedStartS = plannedStartS;
    // a new clock, none, or the agent off: the events follow the plan's own schedule from here
    if (!steer || event.resetEventTimer || plannedStartS === undefined) this.delayS = 0;
    if (!steer) return event;
    const planned = { intervalS: gapS, exposureMs: event.exposureMs ?? this.planned(params).exposureMs };
    const { applied } = boundSetting(settingOf(decision, planned, params), planned, bounds);
    if (gapS !== null && applied.intervalS !== null) this.delayS += applied.intervalS - gapS;
    const steered: MDAEvent = {
      ...event,
      illuminationPercent: overrideIlluminationPercent ?? applied.illuminationPercent,
      exposureMs: applied.exposureMs,
    };
    // the events of one time point (channels, planes, positions) all move by the same delay
    return plannedStartS === undefined ? steered : { ...steered, minStartTimeS: plannedStartS + this.delayS };
  }
}
