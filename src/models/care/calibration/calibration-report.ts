import type { StagePosition } from './calibration-request';

export interface PairAttempt {
  readonly attempt: number;
  /** Displacement of the high frame relative to the low one, pixels. */
  readonly driftPx: { readonly dx: number; readonly dy: number; readonly magnitude: number };
  /** Height of the phase-correlation peak, 0–1 (low: the frames share little structure). */
  readonly peak: number;
  /** The peak above the rest of the correlation surface, in standard deviations: near noise's, the drift read is unreliable. */
  readonly significance: number;
  readonly accepted: boolean;
  /** Why it was not accepted. */
  readonly reason?: string;
  /** Where the raw frames of a rejected attempt were moved (they are never deleted). */
  readonly rejectedFiles?: { readonly low: string; readonly high: string };
}

export interface CalibrationPair {
  readonly index: number;
  readonly position: StagePosition;
  readonly attempts: readonly PairAttempt[];
  /** kept: in low/ and high/; dropped: drifted on both attempts; skipped: not acquired (see the report's stop reason). */
  readonly outcome: 'kept' | 'dropped' | 'skipped';
  /** Why a pair was dropped: it drifted on both attempts, or its low frame holds too little structure to check. */
  readonly reason?: string;
  readonly files?: { readonly low: string; readonly high: string };
}

/** calibration.json: everything needed to judge and reuse the data set, written beside low/ and high/. */
export interface CalibrationReport {
  readonly id: string;
  readonly name: string;
  readonly state: 'running' | 'finished' | 'failed';
  readonly directory: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationS?: number;
  readonly error?: string;
  readonly light: { readonly source: string; readonly channel: number; readonly lowPercent: number; readonly highPercent: number };
  readonly exposureMs: number;
  readonly camera: { readonly label: string; readonly widthPx: number; readonly heightPx: number; readonly bitDepth: number } | null;
  readonly pixelSizeUm: number;
  readonly maxDriftPx: number;
  readonly pairs: readonly CalibrationPair[];
  readonly pairsKept: number;
  readonly pairsDropped: number;
  readonly retakes: number;
  /** Light at the sample: power × exposure of every frame taken, % · s (the shutter is closed between frames). */
  readonly dose: { readonly budgetPercentSeconds: number; readonly usedPercentSeconds: number };
  /** Why acquisition stopped before the last position, if it did. */
  readonly stopped?: string;
}
