import type { AgentBounds, AgentSetting, BoundClamp, PlannedSetting } from './agent-bounds';

/** What the agent saw when it decided. JSON-safe: unknown values are null. */
export interface AgentInputs {
  /** Seconds since the acquisition started. */
  readonly timeS: number;
  readonly snr: number | null;
  /** CARE's predicted PSNR of the restored frame, dB, when a CARE model runs. */
  readonly careQualityDb: number | null;
  /** Calibrated probability of photodamage (field mean); null when the predictor failed. */
  readonly predictedRisk: number | null;
  readonly predictorError: string | null;
  readonly doseSoFarPercentSeconds: number;
  readonly doseBudgetPercentSeconds: number;
  readonly mitosisDetected: boolean;
  readonly lastIlluminationPercent: number;
  readonly lastExposureMs: number;
}

export type AgentMode = 'normal' | 'event' | 'fallback' | 'override' | 'off';

export interface AgentDecision {
  readonly illuminationPercent: number;
  readonly exposureMs: number;
  readonly intervalS: number;
  readonly mode: AgentMode;
  /** Until when (s since start) the agent follows an event at the event interval. */
  readonly eventUntilS: number | null;
}

/**
 * What the events get, before and after a decision: what the plan asked for, what was in force, what the policy
 * proposed, what the bounds let through (for the plan's reference channel and interval), and which bound clamped what.
 */
export interface SettingChange {
  readonly planned: PlannedSetting;
  readonly before: AgentSetting;
  readonly proposed: AgentSetting;
  readonly after: AgentSetting;
  readonly clamps: readonly BoundClamp[];
  readonly bounds: {
    readonly intervalS: { readonly min: number; readonly max: number } | null;
    readonly intervalStretchMax: number;
    /** null: no bound but the hardware envelope's (an agent outside the service). */
    readonly maxExposureMs: number | null;
    readonly maxExposureFrom: AgentBounds['maxExposureFrom'];
    readonly maxIlluminationPercent: number;
  };
}

/** One decision as logged, streamed and saved: when, for which run, what it saw, what it chose, and why. */
export interface DecisionRecord {
  /** Numbered from 0 in each run: the cursor of GET api/agent/decisions. */
  readonly sequence: number;
  readonly time: string;
  /** The run whose frame it decided from; null when the agent observed a frame outside any run. */
  readonly acquisitionId: string | null;
  readonly inputs: AgentInputs;
  /** The decision as bounded (what the next events get); `settings.proposed` has the policy's own. */
  readonly decision: AgentDecision;
  readonly settings: SettingChange;
  readonly reason: string;
}
