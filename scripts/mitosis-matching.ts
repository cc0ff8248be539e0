/**
 * Scores detected mitosis events against the dish's true mitoses. An event is a true positive when a true mitosis
 * was in progress somewhere in its frame pair (between the frame it was compared with and its own) within
 * `radiusPx` of where it fired (the dish wraps around, so distances do too); each true mitosis is matched at most
 * once, to the first such event, so a second event on the same mitosis is a false positive. Events that match only
 * a mitosis outside the recall (one that began before the first frame) count neither way.
 */
import type { TrueMitosis } from './mitosis-timelapse';

export const MATCH_RADIUS_PX = 24;

export interface ScoredEvent {
  readonly timeS: number;
  readonly comparedWithS: number;
  readonly xPx: number;
  readonly yPx: number;
}

export interface MatchCounts {
  tp: number;
  fp: number;
  /** Eligible true mitoses no event matched. */
  fn: number;
  /** Events that found only mitoses outside the recall. */
  ignored: number;
  /** False positives that fell on a mitosis an earlier event had already matched. */
  duplicates: number;
  /** Eligible mitoses that had not divided when the run ended (arrested, or begun near its end), and of them matched. */
  undivided: number;
  undividedMatched: number;
}

export function emptyCounts(): MatchCounts {
  return { tp: 0, fp: 0, fn: 0, ignored: 0, duplicates: 0, undivided: 0, undividedMatched: 0 };
}

export function addCounts(into: MatchCounts, more: MatchCounts): MatchCounts {
  for (const key of Object.keys(into) as Array<keyof MatchCounts>) into[key] += more[key];
  return into;
}

export function matchEvents(
  events: readonly ScoredEvent[],
  mitoses: readonly TrueMitosis[],
  fieldPx: number,
  radiusPx = MATCH_RADIUS_PX,
): MatchCounts {
  const counts = emptyCounts();
  const matched = new Set<TrueMitosis>();
  const wrapped = (d: number) => Math.min(Math.abs(d), fieldPx - Math.abs(d));
  for (const event of [...events].sort((a, b) => a.timeS - b.timeS)) {
    const inPair = mitoses
      .filter((m) => m.startS <= event.timeS && m.endS >= event.comparedWithS)
      .map((m) => ({ m, distancePx: Math.hypot(wrapped(m.xPx - event.xPx), wrapped(m.yPx - event.yPx)) }))
      .filter((c) => c.distancePx <= radiusPx)
      .sort((a, b) => a.distancePx - b.distancePx);
    const free = inPair.find((c) => !matched.has(c.m));
    if (free?.m.eligible) {
      matched.add(free.m);
      counts.tp++;
    } else if (free) {
      matched.add(free.m);
      counts.ignored++;
    } else if (inPair.length > 0) {
      counts.fp++;
      counts.duplicates++;
    } else counts.fp++;
  }
  counts.fn = mitoses.filter((m) => m.eligible && !matched.has(m)).length;
  const undivided = mitoses.filter((m) => m.eligible && !Number.isFinite(m.endS));
  counts.undivided = undivided.length;
  counts.undividedMatched = undivided.filter((m) => matched.has(m)).length;
  return counts;
}

export function scores(c: MatchCounts): { precision: number; recall: number; f1: number; recallOfDivided: number } {
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : NaN;
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : NaN;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const divided = c.tp + c.fn - c.undivided;
  const recallOfDivided = divided > 0 ? (c.tp - c.undividedMatched) / divided : NaN;
  return { precision, recall, f1, recallOfDivided };
}
