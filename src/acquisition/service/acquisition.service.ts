import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { ScopeConfig } from '../../config/config.schema';
import { HardwareService } from '../../hardware/hardware.service';
import { MicroManagerEngine } from '../engine/micro-manager-engine';
import type { Frame } from '../frame';
import { countFrames, iterateEvents, validatePlan, type MDAEvent } from '../plans';
import type { FrameSink } from '../runner/raw-first-publisher';
import { AcquisitionRun, type EventHooks } from '../runner/runner';
import type { LifecycleEvent, RunProgress } from '../runner/lifecycle';

export class AcquisitionNotFoundError extends Error {
  override readonly name = 'AcquisitionNotFoundError';
}

export class AcquisitionBusyError extends Error {
  override readonly name = 'AcquisitionBusyError';
}

/** Opens the durable sink for a run (the raw writer); supplied by the storage layer. */
export type SinkFactory = (acquisitionId: string, plan: unknown, eventsPlanned: number) => Promise<FrameSink | undefined>;

export const SINK_FACTORY = Symbol('SINK_FACTORY');

/**
 * Starts planned acquisitions on the hardware, one at a time (one microscope), and keeps their progress.
 * Frames of every run flow out of `frames$` after the raw writer has them.
 */
@Injectable()
export class AcquisitionService implements OnModuleDestroy {
  private readonly logger = new Logger('Acquisition');
  private readonly runs = new Map<string, AcquisitionRun<MDAEvent>>();
  private readonly framesSubject = new Subject<Frame>();
  private readonly lifecycleSubject = new Subject<LifecycleEvent>();
  readonly frames$: Observable<Frame> = this.framesSubject.asObservable();
  readonly lifecycle$: Observable<LifecycleEvent> = this.lifecycleSubject.asObservable();
  private readonly hooks: EventHooks<MDAEvent>[] = [];
  private active?: AcquisitionRun<MDAEvent>;

  constructor(
    private readonly hardware: HardwareService,
    @Inject(SCOPE_CONFIG) private readonly config: ScopeConfig,
    @Inject(SINK_FACTORY) private readonly openSink: SinkFactory,
  ) {}

  /** Hooks see every event of every run (the agent steers through them). */
  addHook(hook: EventHooks<MDAEvent>): () => void {
    this.hooks.push(hook);
    return () => this.hooks.splice(this.hooks.indexOf(hook), 1);
  }

  /** Validates the plan (useq-schema MDASequence JSON), starts it and returns its id. */
  async start(planJson: unknown): Promise<RunProgress> {
    const plan = validatePlan(planJson, 'acquisition plan');
    if (this.active && !['finished', 'cancelled', 'failed'].includes(this.active.progress().state)) {
      throw new AcquisitionBusyError(`acquisition ${this.active.id} is still running: cancel it or wait`);
    }
    const core = this.hardware.requireCore();
    const pixelSizeUm = this.hardware.pixelSizeUm();
    const geometry = await core.getImageGeometry();
    const fov = { fovWidthUm: geometry.width * pixelSizeUm, fovHeightUm: geometry.height * pixelSizeUm };
    const eventsPlanned = countFrames(plan, fov);
    const light = this.hardware.light();
    const engine = new MicroManagerEngine({ core, light: light ? { source: light, channel: 0 } : undefined });
    const acquisitionId = randomUUID();
    const sink = await this.openSink(acquisitionId, planJson, eventsPlanned);
    const run = new AcquisitionRun<MDAEvent>({
      acquisitionId,
      events: { [Symbol.iterator]: () => iterateEvents(plan, fov) },
      engine,
      sink,
      hooks: this.hooks,
      eventsPlanned,
    });
    run.frames$.subscribe((frame) => this.framesSubject.next(frame));
    run.lifecycle$.subscribe((event) => {
      this.lifecycleSubject.next(event);
      if (event.type === 'failed') this.logger.error({ msg: `acquisition ${run.id} failed: ${event.progress.error}`, acquisitionId: run.id });
      if (event.type === 'finished' || event.type === 'cancelled') {
        this.logger.log({ msg: `acquisition ${run.id} ${event.type}`, acquisitionId: run.id, frames: event.progress.framesWritten });
      }
    });
    this.runs.set(run.id, run);
    this.active = run;
    void run.start();
    this.logger.log({ msg: `acquisition ${run.id} started`, acquisitionId: run.id, eventsPlanned });
    return run.progress();
  }

  get(id: string): AcquisitionRun<MDAEvent> {
    const run = this.runs.get(id);
    if (!run) throw new AcquisitionNotFoundError(`no acquisition with id ${id}`);
    return run;
  }

  list(): RunProgress[] {
    return [...this.runs.values()].map((run) => run.progress());
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.active) return;
    this.active.cancel();
    await this.active.start();
  }
}
