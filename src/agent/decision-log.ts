import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import type { DecisionRecord } from './policy/agent-decision';

const LOG_SUFFIX = '.agent-decisions.jsonl';
/** Folders below the storage directory searched for the logs of earlier runs (data sets of several positions sit one deeper). */
const SEARCH_DEPTH = 2;

/** Where a data set's decision log lives: beside it, `<data set name>.agent-decisions.jsonl`. */
export function decisionLogPath(datasetPath: string): string {
  return join(dirname(datasetPath), `${basename(datasetPath)}${LOG_SUFFIX}`);
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

interface RunLog {
  readonly path: string;
  /** Byte offset of each record's line: record n starts at offsets[n]. */
  readonly offsets: number[];
  bytes: number;
}

/**
 * Every run's decisions, each in its data set's log (`decisionLogPath`), written line by line as they are made,
 * so a crash leaves every decision made so far readable; and paged back from there by sequence number, through
 * an index of line offsets (8 bytes a decision) rather than by reading the whole file.
 */
export class DecisionJournal {
  private readonly runs = new Map<string, RunLog>();
  /** Logs under the storage directory already looked at, by path: the run on their first line. */
  private readonly scanned = new Map<string, string | undefined>();
  private latest?: string;

  /** `storageDirectory`: where the logs of runs from before this service started are looked for (`find`). */
  constructor(private readonly storageDirectory?: string) {}

  /** Starts the log of a run; its decisions go there from now on, whenever they arrive. */
  open(acquisitionId: string, datasetPath: string): string {
    const path = decisionLogPath(datasetPath);
    mkdirSync(dirname(path), { recursive: true });
    const bytes = existsSync(path) ? statSync(path).size : 0;
    this.runs.set(acquisitionId, { path, offsets: [], bytes });
    this.latest = acquisitionId;
    return path;
  }

  /** Appends a decision to its run's log; false when the record names no run opened here. */
  append(record: DecisionRecord): boolean {
    const run = record.acquisitionId === null ? undefined : this.runs.get(record.acquisitionId);
    if (!run) return false;
    const line = `${JSON.stringify(record)}\n`;
    appendFileSync(run.path, line);
    run.offsets.push(run.bytes);
    run.bytes += Buffer.byteLength(line);
    return true;
  }

  has(acquisitionId: string): boolean {
    return this.runs.has(acquisitionId);
  }

  /**
   * Whether the run's decisions can be read: a run of this service, or one whose log lies under the storage
   * directory from an earlier start (found by the acquisitionId of its first line, then indexed once).
   */
  async find(acquisitionId: string): Promise<boolean> {
    if (this.runs.has(acquisitionId)) return true;
    if (!this.storageDirectory) return false;
    const known = new Set([...this.runs.values()].map((run) => run.path));
    for (const path of await logsUnder(this.storageDirectory, SEARCH_DEPTH)) {
      if (known.has(path)) continue;
      if (!this.scanned.has(path)) this.scanned.set(path, await firstRunIn(path));
      if (this.scanned.get(path) !== acquisitionId) continue;
      const text = await readFile(path, 'utf8');
      const offsets: number[] = [];
      let at = 0;
      for (const line of text.split('\n')) {
        if (line.length > 0) offsets.push(at);
        at += Buffer.byteLength(line) + 1;
      }
      this.runs.set(acquisitionId, { path, offsets, bytes: Buffer.byteLength(text) });
      return true;
    }
    return false;
  }

  /** The run whose log was opened last. */
  latestRun(): string | undefined {
    return this.latest;
  }

  count(acquisitionId: string): number {
    return this.runs.get(acquisitionId)?.offsets.length ?? 0;
  }

  /** Up to `limit` decisions of a run from position `from` (its sequence numbers count from 0 per run). */
  async read(acquisitionId: string, from: number, limit: number): Promise<DecisionRecord[]> {
    const run = this.runs.get(acquisitionId);
    if (!run || from >= run.offsets.length || limit <= 0) return [];
    const to = Math.min(run.offsets.length, from + limit);
    const start = run.offsets[from];
    const end = to < run.offsets.length ? run.offsets[to] : run.bytes;
    const buffer = Buffer.alloc(end - start);
    const file = await open(run.path, 'r');
    try {
      await file.read(buffer, 0, buffer.length, start);
    } finally {
      await file.close();
    }
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as DecisionRecord);
  }
}

/** Decision logs in `directory` and its subfolders down to `depth`. */
async function logsUnder(directory: string, depth: number): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const here = entries.filter((e) => e.isFile() && e.name.endsWith(LOG_SUFFIX)).map((e) => join(directory, e.name));
  if (depth === 0) return here;
  const below = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => logsUnder(join(directory, e.name), depth - 1)));
  return [...here, ...below.flat()];
}

/** The acquisitionId on a log's first line (read alone, not the whole log); undefined for an empty or foreign file. */
async function firstRunIn(path: string): Promise<string | undefined> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return undefined;
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const text = head.toString('utf8', 0, bytesRead);
    const end = text.indexOf('\n');
    if (end < 0) return undefined;
    const first = JSON.parse(text.slice(0, end)) as Partial<DecisionRecord>;
    return typeof first.acquisitionId === 'string' ? first.acquisitionId : undefined;
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}
