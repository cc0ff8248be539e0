/**
 * The models running live, for logs and /api/health: which runtime runs each, what input it takes, and how long
 * its recent frames took (the last 100).
 */
import { LatencyWindow, type LatencySummary } from './latency-window';

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
  readonly latencyMs: LatencySummary | null;
}

export class LoadedModels {
  private readonly models = new Map<string, { info: LoadedModelInfo; latency: LatencyWindow }>();

  register(info: LoadedModelInfo): void {
    const key = `${info.task}:${info.id}`;
    this.models.set(key, { info, latency: this.models.get(key)?.latency ?? new LatencyWindow() });
  }

  /** One frame's latency for a registered model (ignored for one that is not). */
  latency(task: LiveModelTask, id: string, ms: number): void {
    this.models.get(`${task}:${id}`)?.latency.add(ms);
  }

  list(): LoadedModelStatus[] {
    return [...this.models.values()].map(({ info, latency }) => ({ ...info, frames: latency.frames, latencyMs: latency.summary() }));
  }
}
