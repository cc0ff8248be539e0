/**
 * Sequence acquisition: the camera produces a frame every max(exposure, interval) ms into the circular buffer,
 * on a timer, while the bridge keeps answering. Finite sequences stop by themselves; stop-on-overflow ones stop
 * at the first frame that finds the buffer full. A camera that loses frames (`droppedImageNumbers`, fault injection)
 * counts them (ImageNumber goes on) but never delivers them, as a camera whose link hiccups; `overflowAtImageNumber`
 * overflows a stop-on-overflow sequence there, as a reader too slow for the camera would.
 */
import { performance } from 'node:perf_hooks';
import type { SimCamera } from './camera';
import { CircularBuffer, type BufferedFrame } from './circular-buffer';
import type { SimCore } from './sim-core';
import { CoreError } from './sim-device';

/** Shortest frame period, ms: zero-exposure sequences run at 1000 frames/s, well above what benchmarks of the bridge need. */
const MIN_PERIOD_MS = 1;
/** Longest time one timer tick may spend producing frames, so the bridge stays responsive. */
const TICK_BUDGET_MS = 8;

interface Running {
  readonly cameraLabel: string;
  remaining: number;
  readonly periodMs: number;
  readonly stopOnOverflow: boolean;
  readonly startedMs: number;
  readonly shutter: string;
  nextDueMs: number;
  imageNumber: number;
  timer: NodeJS.Timeout;
}

export class SequenceAcquisition {
  readonly buffer = new CircularBuffer();
  private running?: Running;
  /** Frames produced since the simulator started (for benchmarks of the producer). */
  framesProduced = 0;
  /** Why the last sequence stopped on its own with an error, if it did. */
  lastError?: string;

  constructor(
    private readonly core: SimCore,
    private readonly camera: SimCamera,
    /** ImageNumbers every sequence loses. */
    private readonly droppedImageNumbers: ReadonlySet<number> = new Set(),
    /** The ImageNumber at which a stop-on-overflow sequence overflows, as if nobody read the buffer. */
    private readonly overflowAtImageNumber?: number,
    /** The camera's trigger output, fired before each frame's exposure (lost frames too): steps stage sequences. */
    private readonly trigger: () => void = () => {},
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  frameBytes(): number {
    return this.camera.width() * this.camera.height() * this.camera.bytesPerPixel();
  }

  /** getBufferTotalCapacity: frames of the current size that fit. */
  capacity(): number {
    return this.running ? this.buffer.capacity : CircularBuffer.capacityFor(this.buffer.footprintMb, this.frameBytes());
  }

  setFootprintMb(mb: number): void {
    if (this.running) throw new CoreError('Action not allowed during sequence acquisition');
    if (!(mb > 0)) throw new CoreError(`Invalid circular buffer size: ${mb} MB`);
    this.buffer.footprintMb = mb;
    this.buffer.initialize(this.frameBytes());
  }

  start(cameraLabel: string, count: number, intervalMs: number, stopOnOverflow: boolean): void {
    if (this.running) throw new CoreError('Action not allowed during sequence acquisition');
    if (cameraLabel !== this.camera.device().label) throw new CoreError(`Camera "${cameraLabel}" is not the current camera`);
    if (!(count > 0)) throw new CoreError(`Invalid number of images: ${count}`);
    this.buffer.initialize(this.frameBytes());
    const shutter = this.core.role('Shutter');
    const autoShutter =
      this.core.getProperty('Core', 'AutoShutter') === '1' && shutter !== '' && this.core.getProperty(shutter, 'State') !== '1';
    if (autoShutter) this.core.device(shutter).force('State', '1');
    const startedMs = performance.now();
    const periodMs = Math.max(this.camera.exposureMs(), intervalMs, MIN_PERIOD_MS);
    const running: Running = {
      cameraLabel,
      remaining: count,
      periodMs,
      stopOnOverflow,
      startedMs,
      shutter: autoShutter ? shutter : '',
      // The first frame arrives after one exposure, as a camera delivers it.
      nextDueMs: startedMs + periodMs,
      imageNumber: 0,
      timer: setInterval(() => this.safeTick(running), Math.max(1, Math.min(Math.floor(periodMs), 20))),
    };
    this.running = running;
  }

  stop(): void {
    const running = this.running;
    if (!running) return;
    clearInterval(running.timer);
    this.running = undefined;
    if (running.shutter) this.core.device(running.shutter).force('State', '0');
  }

  /** A camera whose frame fails (e.g. its role was unassigned mid-sequence) stops, as a camera thread would. */
  private safeTick(running: Running): void {
    try {
      this.tick(running);
    } catch (err) {
      this.lastError = (err as Error).message;
      this.stop();
    }
  }

  private tick(running: Running): void {
    const tickStartMs = performance.now();
    while (this.running === running && performance.now() >= running.nextDueMs) {
      if (performance.now() - tickStartMs > TICK_BUDGET_MS) {
        // Too far behind (a slow renderer): skip the backlog instead of bursting it out later.
        if (performance.now() - running.nextDueMs > 2 * running.periodMs) running.nextDueMs = performance.now();
        return;
      }
      this.produce(running);
      running.nextDueMs += running.periodMs;
    }
  }

  private produce(running: Running): void {
    if (running.stopOnOverflow && running.imageNumber === this.overflowAtImageNumber) {
      this.buffer.markOverflowed();
      this.stop();
      return;
    }
    this.trigger();
    if (this.droppedImageNumbers.has(running.imageNumber)) {
      running.imageNumber++;
      if (--running.remaining <= 0) this.stop();
      return;
    }
    // Behind a Multi Camera each physical camera exposes on the same trigger and inserts its own frame, named.
    const physical = this.camera.physical();
    for (const [channel, camera] of physical.entries()) {
      const frame: BufferedFrame = {
        image: this.camera.render(camera),
        cameraLabel: physical.length > 1 ? camera.label : running.cameraLabel,
        imageNumber: running.imageNumber,
        elapsedMs: performance.now() - running.startedMs,
        receivedAt: new Date(),
        binning: camera.get('Binning'),
        ...(physical.length > 1 ? { cameraChannelIndex: channel } : {}),
      };
      if (!this.buffer.insert(frame, !running.stopOnOverflow)) {
        this.stop();
        return;
      }
      this.framesProduced++;
    }
    running.imageNumber++;
    if (--running.remaining <= 0) this.stop();
  }
}
