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

/** One decision as logged, streamed and saved: when, what it saw, what it chose, and why. */
export interface DecisionRecord {
  readonly sequence: number;
  readonly time: string;
  readonly inputs: AgentInputs;
  readonly decision: AgentDecision;
  readonly reason: string;
}
