/**
 * What the agent bench measures, from the simulator's ground truth (never shown to the policies): the windows of
 * the true mitoses, which of them were imaged at the fast rate, which the policy's own detector caught, and the
 * spread of a metric over seeds. Pure functions over times in seconds since the experiment started.
 */
import type { MitosisRecord } from '../../simulators/sample/photodamage';

/** One true mitosis: from the cell's entry into mitosis to its split (or where it would have split). */
export interface MitosisWindow {
  readonly startS: number;
  readonly endS: number;
  /** The cell split before the experiment ended (false: still dividing, arrested by stress, or dead). */
  readonly completed: boolean;
}

/**
 * Printed with the table. `fastGapS` is the longest gap that still counts as the fast rate: halfway between the
 * event interval and the plan's, so one missed fast frame or a slow frame never counts.
 */
export const METRIC_DEFINITIONS = {
  mitosisWindow:
    'a true mitosis (simulator log) spans [start, split]; one not split by the end spans [start, start + mitosisDurationS], cut at the end',
  mitosesOccurred: 'true mitoses that started during the experiment',
  mitosesImagedFast:
    'true mitoses with at least 2 frames inside their window that follow each other at the fast rate (gap ≤ fastGapS = 1.5 × eventIntervalS)',
  mitosesDetected: "true mitoses whose window holds a frame on which the policy's own detector fired (none: no detector)",
  falseFires: 'detector fires on frames outside every true mitosis window',
  ssim: 'SSIM of the restored frame (CARE for -care, event-driven and agent; raw otherwise) against the noise-free frame, mean over frames',
  ssimEvents: 'the same, over the frames whose time falls inside a true mitosis window',
  dose: 'Σ power % × exposure s over all frames (%·s; 1 % = 1 mW at the sample)',
  cellsAlive: 'cells not dead at the end of the experiment (the dish advanced to its end for every policy)',
  ratio: "(JSON lines) fixed-high's dose ÷ this policy's: how many times less light it used",
  noise: 'better / worse = the difference of the means beyond the pooled seed-to-seed sd √((sd₁² + sd₂²)/2); within it: a tie',
} as const;

export function mitosisWindows(records: readonly MitosisRecord[], durationS: number, mitosisDurationS: number): MitosisWindow[] {
  return records
    .filter((m) => m.startS <= durationS)
    .map((m) => {
      const completed = m.endS !== undefined && m.endS <= durationS;
      const endS = completed ? m.endS! : Math.min(durationS, m.startS + mitosisDurationS);
      return { startS: m.startS, endS, completed };
    });
}

const inside = (timeS: number, w: MitosisWindow) => timeS >= w.startS && timeS <= w.endS;

export function inAnyWindow(timeS: number, windows: readonly MitosisWindow[]): boolean {
  return windows.some((w) => inside(timeS, w));
}

/**
 * True mitoses imaged at the fast rate: at least `minFrames` consecutive frames inside the window, each at most
 * `fastGapS` after the one before. Frame times must be sorted.
 */
export function mitosesImagedFast(
  windows: readonly MitosisWindow[],
  frameTimesS: readonly number[],
  fastGapS: number,
  minFrames = 2,
): number {
  return windows.filter(
    (w) =>
      longestFastRun(
        frameTimesS.filter((t) => inside(t, w)),
        fastGapS,
      ) >= minFrames,
  ).length;
}

/** The most frames in a row that each follow the one before within `fastGapS` (1 for a lone frame). */
export function longestFastRun(sortedTimesS: readonly number[], fastGapS: number): number {
  let best = sortedTimesS.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < sortedTimesS.length; i++) {
    run = sortedTimesS[i] - sortedTimesS[i - 1] <= fastGapS + 1e-6 ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return best;
}

/** True mitoses caught by the detector, and its fires outside every true mitosis. */
export function detectorScore(windows: readonly MitosisWindow[], fireTimesS: readonly number[]): { detected: number; falseFires: number } {
  return {
    detected: windows.filter((w) => fireTimesS.some((t) => inside(t, w))).length,
    falseFires: fireTimesS.filter((t) => !inAnyWindow(t, windows)).length,
  };
}

/** A metric over seeds: mean, sample standard deviation (0 for one seed), min and max, over the `n` seeds that have it. */
export interface Spread {
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** Seeds without the metric (NaN: no detector, no frame inside a mitosis) are left out; none left gives NaN. */
export function spreadOf(values: readonly number[]): Spread {
  const known = values.filter((v) => Number.isFinite(v));
  if (known.length === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, n: 0 };
  const mean = known.reduce((s, v) => s + v, 0) / known.length;
  const variance = known.length > 1 ? known.reduce((s, v) => s + (v - mean) ** 2, 0) / (known.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance), min: Math.min(...known), max: Math.max(...known), n: known.length };
}
