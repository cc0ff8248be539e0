import { randomUUID } from 'node:crypto';
import { Subject } from 'rxjs';
import type { AcquisitionEngine, SchedulableEvent } from '../engine/engine';
import type { DroppedFrame, Frame } from '../frame';
import { EventQueue } from './event-queue';
import type { LifecycleEvent, RunProgress, RunState } from './lifecycle';
import { RawFirstPublisher, type FrameReceipt, type FrameSink } from './raw-first-publisher';

/**
 * A hook sees each event before it runs and may return it changed, `null` to skip it, and use `queue` to insert
 * events to run next or to transform every future event. `afterEvent` sees the frames an event produced, once the
 * raw writer has them: a frame the writer could not take is never shown. The run waits for afterEvent (and for
 * the writes it needs), so a hook that only watches uses `observeEvent` instead: it gets the same frames, as soon
 * as they are written, but the run never waits for it, and an observer that throws is logged, never fatal.
 */
export interface EventHooks<E> {
  beforeEvent?(event: E, queue: EventQueue<E>): E | null | Promise<E | null>;
  afterEvent?(event: E, frames: readonly Frame[], queue: EventQueue<E>): void | Promise<void>;
  observeEvent?(event: E, frames: readonly Frame[]): void | Promise<void>;
}

export interface RunOptions<E extends SchedulableEvent> {
  readonly events: Iterable<E>;
  readonly engine: AcquisitionEngine<E>;
  readonly sink?: FrameSink;
  readonly hooks?: readonly EventHooks<E>[];
  readonly framesPlanned?: number;
  readonly acquisitionId?: string;
  readonly clock?: () => number;
  /** Read when the run ends: notes for the data set's final metadata (DatasetEnding.annotations). */
  readonly annotations?: () => Readonly<Record<string, string>>;
  /** Where an observer's failure is told (the run goes on). Default: stderr. */
  readonly onObserverError?: (error: Error) => void;
}

/** Events an observer may fall behind the acquisition before it misses some. */
const MAX_OBSERVER_BACKLOG = 64;

export class AcquisitionCancelledError extends Error {
  override readonly name = 'AcquisitionCancelledError';
}

/**
 * Walks a plan event by event: waits for each event's start time, runs it on the engine, hands frames to the
 * durable sink first and then to `frames$`. Pause stops the clock; cancel stops between hardware calls and
 * always leaves the hardware safe through the engine's teardown.
 */
export class AcquisitionRun<E extends SchedulableEvent> {
  readonly id: string;
  readonly frames$ = new Subject<Frame>();
  readonly lifecycle$ = new Subject<LifecycleEvent>();
  private state: RunState = 'pending';
  private eventsDone = 0;
  private framesAcquired = 0;
  private readonly dropped: DroppedFrame[] = [];
  private error?: string;
  private pausedAtMs?: number;
  private pausedTotalMs = 0;
  private timerOriginMs = 0;
  private startedAtMs = 0;
  private cancelRequested = false;
  private readonly wakeups = new Set<() => void>();
  private publisher?: RawFirstPublisher;
  private readonly clock: () => number;
  private finished?: Promise<RunProgress>;
  /** Written events waiting for the observers, oldest first (the first is being observed). */
  private readonly observerBacklog: { readonly event: E; readonly frames: readonly Frame[] }[] = [];
  private observerSkips = 0;

  constructor(private readonly options: RunOptions<E>) {
    this.id = options.acquisitionId ?? randomUUID();
    this.clock = options.clock ?? (() => performance.now());
  }

  start(): Promise<RunProgress> {
    this.finished ??= this.run();
    return this.finished;
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.pausedAtMs = this.clock();
    this.lifecycle$.next({ type: 'paused', progress: this.progress() });
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.pausedTotalMs += this.clock() - (this.pausedAtMs ?? this.clock());
    this.pausedAtMs = undefined;
    this.state = 'running';
    this.wake();
    this.lifecycle$.next({ type: 'resumed', progress: this.progress() });
  }

  cancel(): void {
    if (this.isOver()) return;
    this.cancelRequested = true;
    this.wake();
  }

  progress(): RunProgress {
    return {
      acquisitionId: this.id,
      state: this.state,
      eventsDone: this.eventsDone,
      framesPlanned: this.options.framesPlanned,
      framesAcquired: this.framesAcquired,
      framesWritten: this.publisher?.written ?? 0,
      framesDropped: this.dropped.length,
      ...(this.dropped.length ? { lastDropped: this.dropped.at(-1) } : {}),
      elapsedS: this.startedAtMs ? (this.clock() - this.startedAtMs) / 1000 : 0,
      error: this.error,
    };
  }

  private isOver(): boolean {
    return this.state === 'finished' || this.state === 'cancelled' || this.state === 'failed';
  }

  private async run(): Promise<RunProgress> {
    const { engine } = this.options;
    const queue = new EventQueue<E>(this.options.events[Symbol.iterator]());
    this.publisher = new RawFirstPublisher(this.options.sink, (frame) => this.frames$.next(frame));
    this.state = 'running';
    this.startedAtMs = this.timerOriginMs = this.clock();
    let outcome: 'finished' | 'cancelled' | 'failed' = 'finished';
    try {
      await engine.setupSequence({ acquisitionId: this.id });
      // the plan's clock starts once the hardware is set up, so the first event is not late by the setup time
      this.timerOriginMs = this.clock();
      this.lifecycle$.next({ type: 'started', progress: this.progress() });
      for (let event = queue.next(); event !== undefined; event = queue.next()) {
        const runnable = await this.applyBeforeHooks(event, queue);
        if (runnable === null) continue;
        await this.waitForStart(runnable);
        this.throwIfCancelled();
        const receipts = await this.execute(runnable);
        this.notifyObservers(runnable, receipts);
        await this.applyAfterHooks(runnable, receipts, queue);
        this.eventsDone++;
        this.lifecycle$.next({ type: 'progress', progress: this.progress() });
      }
    } catch (err) {
      outcome = err instanceof AcquisitionCancelledError ? 'cancelled' : 'failed';
      if (outcome === 'failed') this.error = (err as Error).message;
    }
    try {
      await engine.teardownSequence();
    } catch (err) {
      outcome = 'failed';
      this.error = [this.error, `teardown failed: ${(err as Error).message}`].filter(Boolean).join('; ');
    }
    try {
      const notes = { droppedFrames: this.dropped, annotations: this.options.annotations?.() };
      await this.publisher.finish(
        outcome === 'finished'
          ? { state: 'complete', ...notes }
          : { state: outcome, reason: this.error ?? 'cancelled before the plan ended', ...notes },
      );
    } catch (err) {
      outcome = 'failed';
      this.error ??= (err as Error).message;
    }
    this.state = outcome;
    const progress = this.progress();
    this.lifecycle$.next({ type: outcome, progress });
    this.frames$.complete();
    this.lifecycle$.complete();
    return progress;
  }

  private async applyBeforeHooks(event: E, queue: EventQueue<E>): Promise<E | null> {
    let current: E | null = event;
    for (const hook of this.options.hooks ?? []) {
      if (current === null || !hook.beforeEvent) continue;
      current = await hook.beforeEvent(current, queue);
    }
    return current;
  }

  private async applyAfterHooks(event: E, receipts: readonly FrameReceipt[], queue: EventQueue<E>): Promise<void> {
    const hooks = (this.options.hooks ?? []).filter((hook) => hook.afterEvent);
    if (hooks.length === 0) return;
    const written = await Promise.all(receipts.map((receipt) => receipt.written));
    const frames = receipts.filter((_, i) => written[i]).map((receipt) => receipt.frame);
    for (const hook of hooks) await hook.afterEvent!(event, frames, queue);
  }

  /**
   * Hands the event's frames to every observer once written, in event order, off the run's path: nothing here is
   * awaited. Observers that fall more than MAX_OBSERVER_BACKLOG written events behind miss events (counted, told
   * once) rather than holding frames without bound.
   */
  private notifyObservers(event: E, receipts: readonly FrameReceipt[]): void {
    const observers = (this.options.hooks ?? []).filter((hook) => hook.observeEvent);
    if (observers.length === 0) return;
    // written promises settle in frame order, so the backlog fills in event order
    void Promise.all(receipts.map((receipt) => receipt.written)).then((written) => {
      if (this.observerBacklog.length >= MAX_OBSERVER_BACKLOG) {
        if (this.observerSkips++ === 0)
          this.tellObserverError(new Error(`observers are ${MAX_OBSERVER_BACKLOG} events behind: they miss events until they catch up`));
        return;
      }
      this.observerBacklog.push({ event, frames: receipts.filter((_, i) => written[i]).map((receipt) => receipt.frame) });
      if (this.observerBacklog.length === 1) void this.drainObservers(observers);
    });
  }

  private async drainObservers(observers: readonly EventHooks<E>[]): Promise<void> {
    while (this.observerBacklog.length > 0) {
      const { event, frames } = this.observerBacklog[0];
      for (const hook of observers) {
        try {
          await hook.observeEvent!(event, frames);
        } catch (err) {
          this.tellObserverError(new Error(`observer failed: ${(err as Error).message}`));
        }
      }
      this.observerBacklog.shift();
    }
  }

  private tellObserverError(error: Error): void {
    if (this.options.onObserverError) this.options.onObserverError(error);
    else process.stderr.write(`acquisition ${this.id}: ${error.message}\n`);
  }

  /** Events observers missed because they were too far behind. */
  get observerEventsSkipped(): number {
    return this.observerSkips;
  }

  private async execute(event: E): Promise<FrameReceipt[]> {
    const { engine } = this.options;
    const publisher = this.publisher!;
    const receipts: FrameReceipt[] = [];
    const eventStartWallTimeMs = Date.now();
    await engine.setupEvent(event);
    try {
      for await (const image of engine.execEvent(event)) {
        if ('dropped' in image) {
          this.dropped.push(...image.dropped);
          this.lifecycle$.next({ type: 'dropped', dropped: image.dropped, progress: this.progress() });
          continue;
        }
        const frame: Frame = {
          pixels: image.pixels,
          meta: {
            ...image.meta,
            acquisitionId: this.id,
            sequence: this.framesAcquired,
            wallTimeMs: image.meta.wallTimeMs ?? Date.now(),
            eventStartWallTimeMs,
          },
        };
        this.framesAcquired++;
        receipts.push(await publisher.accept(frame));
        // Leaving the loop ends the engine's iterator, which stops a running hardware sequence.
        this.throwIfCancelled();
      }
    } finally {
      await engine.teardownEvent(event);
    }
    return receipts;
  }

  /** Sleeps until the event's start time on the sequence clock, which stands still while paused. */
  private async waitForStart(event: E): Promise<void> {
    if (event.resetEventTimer) {
      this.timerOriginMs = this.clock();
      this.pausedTotalMs = 0;
    }
    for (;;) {
      this.throwIfCancelled();
      if (this.state === 'paused') {
        await this.sleep(Number.POSITIVE_INFINITY);
        continue;
      }
      const dueMs = this.timerOriginMs + this.pausedTotalMs + (event.minStartTimeS ?? 0) * 1000;
      const waitMs = dueMs - this.clock();
      if (waitMs <= 0) return;
      await this.sleep(waitMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(wake, ms) : undefined;
      this.wakeups.add(wake);
    });
  }

  private wake(): void {
    for (const wake of [...this.wakeups]) wake();
  }

  private throwIfCancelled(): void {
    if (this.cancelRequested) throw new AcquisitionCancelledError(`acquisition ${this.id} cancelled`);
  }
}
