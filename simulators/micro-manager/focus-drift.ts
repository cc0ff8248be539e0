/**
 * Thermal focus drift: the specimen's focal plane creeps along z at a constant rate, so images blur when the stage
 * stays put, while a hardware autofocus that tracks the coverslip (Nikon PFS, Zeiss Definite Focus) follows it.
 * Time runs on a simulated clock that may run faster than the wall clock, so an hour-long experiment can be
 * simulated in a minute.
 */
import { CoreError } from './sim-device';

export interface FocusDriftOptions {
  /** Drift of the specimen's focal plane, µm per simulated hour (positive: the sample rises). Default 0. */
  readonly driftUmPerHour?: number;
  /** Simulated seconds per wall-clock second: 60 makes a simulated hour last one minute. Default 1. */
  readonly timeScale?: number;
}

/** Seconds of simulated time since the simulator started: wall time × timeScale. */
export class SimulatedClock {
  private readonly startedMs: number;

  constructor(
    readonly timeScale = 1,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(Number.isFinite(timeScale) && timeScale > 0)) throw new CoreError(`timeScale must be a positive number, got ${timeScale}`);
    this.startedMs = nowMs();
  }

  elapsedS(): number {
    return ((this.nowMs() - this.startedMs) / 1000) * this.timeScale;
  }
}

export class FocusDrift {
  constructor(
    readonly umPerHour: number,
    private readonly clock: SimulatedClock,
  ) {
    if (!Number.isFinite(umPerHour)) throw new CoreError(`focus drift must be a finite number of µm per hour, got ${umPerHour}`);
  }

  /** How far the specimen's focal plane has moved since the start, µm (ground truth; clients never see it). */
  offsetUm(): number {
    return this.umPerHour === 0 ? 0 : (this.umPerHour * this.clock.elapsedS()) / 3600;
  }
}
