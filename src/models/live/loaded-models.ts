/**
 * The models running live, for logs and /api/health: which runtime runs each, what input it takes, and how long
 * its recent frames took (the last 100).
 */

export type LiveModelTask = 'care' | 'storm' | 'zoo';

export interface LoadedModelInfo {
  readonly id: string;
  readonly task: LiveModelTask;
  readonly runtime: string;
  /** The input tensor's axes and sizes, e.g. "input bcyx 1×1×(64+16k)×(64+16k)". */
  readonly input: string;
  /** What `latencyMs` measures for this model. */
  readonly latencyOf: string;
}

export interface LoadedModelStatus extends LoadedModelInfo {
  readonly frames: number;
  readonly latencyMs: { readonly last: number; readonly median: number; readonly p95: number; readonly samples: number } | null;
}

const RECENT = 100;

export class LoadedModels {
  private readonly models = new Map<string, { info: LoadedModelInfo; recent: number[]; frames: number }>();

  register(info: LoadedModelInfo): void {
    const key = `${info.task}:${info.id}`;
    const known = this.models.get(key);
    this.models.set(key, { info, recent: known?.recent ?? [], frames: known?.frames ?? 0 });
  }

  /** One frame's latency for a registered model (ignored for one that is not). */
  latency(task: LiveModelTask, id: string, ms: number): void {
    const entry = this.models.get(`${task}:${id}`);
    if (!entry || !Number.isFinite(ms)) return;
    entry.frames++;
    entry.recent.push(ms);
    if (entry.recent.length > RECENT) entry.recent.shift();
  }

  list(): LoadedModelStatus[] {
    return [...this.models.values()].map(({ info, recent, frames }) => {
      if (!recent.length) return { ...info, frames, latencyMs: null };
      const sorted = [...recent].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      return { ...info, frames, latencyMs: { last: recent[recent.length - 1], median: at(0.5), p95: at(0.95), samples: recent.length } };
    });
  }
}
