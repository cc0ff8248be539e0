import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import type { DecisionRecord } from './policy/agent-decision';

/** Where a data set's decision log lives: beside it, `<data set name>.agent-decisions.jsonl`. */
export function decisionLogPath(datasetPath: string): string {
  return join(dirname(datasetPath), `${basename(datasetPath)}.agent-decisions.jsonl`);
}

/**
 * Appends every decision to the data set's log as one JSON line, in order, as it is made (synchronously: a few
 * hundred bytes per frame, and a crash loses nothing already decided). Unsubscribe to stop.
 */
export function saveDecisionsBeside(
  datasetPath: string,
  decisions$: Observable<DecisionRecord>,
): { path: string; subscription: Subscription } {
  const path = decisionLogPath(datasetPath);
  mkdirSync(dirname(path), { recursive: true });
  const subscription = decisions$.subscribe((record) => appendFileSync(path, `${JSON.stringify(record)}\n`));
  return { path, subscription };
}
