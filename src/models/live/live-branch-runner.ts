import { basename } from 'node:path';
import { Logger } from '@nestjs/common';
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { BranchStats } from '../../acquisition/backpressure/bounded-branch';
import { LatencyWindow } from './latency-window';
import type { BranchReport, LiveBranch, LiveBranchStatus, LiveModelInfo, LiveRun } from './live-branch';
import type { LoadedModels } from './loaded-models';
import { PerAcquisition, type AcquisitionSource } from './per-acquisition';

const RECENT_RUNS = 5;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * A live branch on every acquisition: starts its model, runs it on each acquisition's written frames, streams
 * its outputs on `output$`, and keeps what health reports: runs, frames, failures with the latest message, latency.
 */
export class LiveBranchRunner<Out, Figures> {
  private readonly logger: Logger;
  private readonly outputs = new Subject<Out>();
  readonly output$: Observable<Out> = this.outputs.asObservable();
  private readonly titles: BehaviorSubject<string>;
  private readonly perAcquisition: PerAcquisition;
  private readonly runs = new Map<string, LiveRun<Figures>>();
  private readonly latency = new LatencyWindow();
  private model: LiveModelInfo | null = null;
  private loadError: string | null = null;
  private branchStats: BranchStats | null = null;
  private frames = 0;
  private errors = 0;
  private lastError: string | null = null;

  constructor(
    private readonly branch: LiveBranch<Out, Figures>,
    private readonly acquisitions: AcquisitionSource,
    private readonly loaded: LoadedModels,
  ) {
    this.logger = new Logger(`Live ${branch.name}`);
    this.perAcquisition = new PerAcquisition(acquisitions);
    this.titles = new BehaviorSubject(branch.configuredModel ? basename(branch.configuredModel) : branch.name);
  }

  get enabled(): boolean {
    return this.branch.enabled;
  }

  /** The model's name as configured, then its own once it has loaded. */
  get title$(): Observable<string> {
    return this.titles.asObservable();
  }

  start(): void {
    if (!this.enabled) return;
    this.branch.start().then(
      (model) => {
        this.model = model;
        this.titles.next(model.id);
        if (!model.withoutModel) this.loaded.register({ ...model, task: this.branch.name });
        this.logger.log({ msg: `${this.branch.name} model "${model.id}" runs live on ${model.runtime}; input ${model.input}` });
      },
      (err: unknown) => {
        this.loadError = messageOf(err);
        this.logger.error({ msg: `${this.branch.name} model could not start, acquisitions go on without it: ${this.loadError}` });
      },
    );
    this.perAcquisition.onEachStart((acquisitionId) => this.run(acquisitionId));
  }

  /** Another model now runs in the branch (hot-swapped): health, titles and the loaded models say so. */
  modelReplaced(model: LiveModelInfo): void {
    this.model = model;
    this.loadError = null;
    this.titles.next(model.id);
    this.loaded.register({ ...model, task: this.branch.name });
    this.logger.log({ msg: `${this.branch.name} model "${model.id}" swapped in live on ${model.runtime}` });
  }

  async close(): Promise<void> {
    await this.perAcquisition.close();
    await this.branch.close();
  }

  /** Resolves once the acquisition's outputs are saved and their data sets closed. */
  async settled(acquisitionId: string): Promise<LiveRun<Figures> | undefined> {
    await this.perAcquisition.settled(acquisitionId);
    return this.runs.get(acquisitionId);
  }

  status(): LiveBranchStatus {
    return {
      name: this.branch.name,
      enabled: this.enabled,
      model: this.model?.id ?? this.branch.configuredModel,
      runtime: this.model?.runtime ?? null,
      input: this.model?.input ?? null,
      error: this.loadError,
      branch: this.branchStats,
      runs: [...this.runs.values()].slice(-RECENT_RUNS),
      frames: this.frames,
      errors: this.errors,
      lastError: this.lastError,
      latencyMs: this.latency.summary(),
    };
  }

  private failed(err: unknown): string {
    const message = messageOf(err);
    this.errors++;
    this.lastError = message;
    return message;
  }

  private async run(acquisitionId: string): Promise<void> {
    const frames$ = this.perAcquisition.writtenFrames(acquisitionId);
    let path = '';
    let figures = this.branch.initialFigures;
    let last: Out | undefined;
    const record = (error?: string) => this.runs.set(acquisitionId, { acquisitionId, path, ...figures, ...(error ? { error } : {}) } as LiveRun<Figures>);
    const report: BranchReport = {
      onStats: (stats) => (this.branchStats = stats),
      onError: (err) => {
        const repeated = messageOf(err) === this.lastError;
        const message = this.failed(err);
        if (!repeated) this.logger.warn({ msg: `${this.branch.name} failed on a frame of acquisition ${acquisitionId}: ${message}`, acquisitionId });
      },
    };
    try {
      const recording = await this.branch.open(this.acquisitions.dataset(acquisitionId), report);
      path = recording.path;
      record();
      this.logger.log({ msg: `${this.branch.name} on acquisition ${acquisitionId} live → ${path}`, acquisitionId });
      await new Promise<void>((resolve, reject) => {
        frames$.pipe(recording.process).subscribe({
          next: (out) => {
            last = out;
            figures = this.branch.addFigures(figures, out);
            this.frames++;
            record();
            this.observeLatency(this.branch.latencyMs(out));
            this.outputs.next(out);
          },
          complete: resolve,
          error: reject,
        });
      });
      await recording.finish?.(last);
    } catch (err) {
      const message = this.failed(err);
      record(message);
      this.logger.error({ msg: `live ${this.branch.name} of acquisition ${acquisitionId} stopped: ${message}`, acquisitionId });
    }
  }

  private observeLatency(ms: number): void {
    this.latency.add(ms);
    if (this.model) this.loaded.latency(this.branch.name, this.model.id, ms);
  }
}
