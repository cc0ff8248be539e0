import { Logger, type LoggerService } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { LightChannel, LightSource } from '../devices';
import { describeRequested, type ClampEvent, type ClampReason } from './clamp-event';
import { DoseGuard, type DoseInWindow } from './dose-guard';
import { lightSafetyLimitsSchema, maxPowerPercentFor, type LightSafetyLimits, type LightSafetyLimitsInput } from './safety-limits';
import { decideWithin, finiteNonNegativeOrZero } from './sanitize';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** A command the envelope refused outright (a channel the source does not have); nothing reached the device. */
export class LightCommandRejectedError extends Error {
  override readonly name = 'LightCommandRejectedError';
}

export interface SafeLightSourceOptions {
  readonly logger?: Pick<LoggerService, 'warn'>;
  /** Clock for dose accounting, ms. */
  readonly now?: () => number;
}

interface ChannelCommand {
  on: boolean;
  powerPercent: number;
}

/**
 * The safety envelope around any LightSource: every power command is sanitised (NaN, ±Infinity, negatives and
 * non-numbers become 0, never forwarded), capped at the channel's maximum, and held within the dose budget of a
 * sliding window, which cuts the light when it is used up. Every clamp is logged and emitted on clamps$. Commands
 * run one at a time, so the dose books and the device agree on the order of events. When in doubt, less light.
 */
export class SafeLightSource implements LightSource {
  readonly label: string;
  readonly limits: LightSafetyLimits;
  private readonly clampSubject = new Subject<ClampEvent>();
  /** Every clamp, with its reason and the requested and applied values. */
  readonly clamps$: Observable<ClampEvent> = this.clampSubject.asObservable();
  private readonly dose: DoseGuard;
  private readonly logger: Pick<LoggerService, 'warn'>;
  private readonly now: () => number;
  private channels?: Map<number, ChannelCommand>;
  private queue: Promise<unknown> = Promise.resolve();
  /** Who asked for the command running now, for the clamp log. */
  private origin = 'unspecified';
  private budgetTimer?: NodeJS.Timeout;
  private disposed = false;
  /** Changes made to the device (each command that reached it), so a remembered setting knows when it is stale. */
  private changes = 0;

  constructor(
    private readonly inner: LightSource,
    limits: LightSafetyLimitsInput,
    options: SafeLightSourceOptions = {},
  ) {
    this.label = inner.label;
    this.limits = lightSafetyLimitsSchema.parse(limits);
    this.logger = options.logger ?? new Logger(`SafeLightSource ${inner.label}`);
    this.now = options.now ?? Date.now;
    this.dose = new DoseGuard(this.limits, this.now);
  }

  /** Reads the source's state once and brings any channel above its limit down; later calls do nothing. */
  initialize(): Promise<void> {
    return this.exclusive(() => this.ensureInitialized());
  }

  getChannels(): Promise<readonly LightChannel[]> {
    return this.exclusive(async () => {
      await this.ensureInitialized();
      return this.inner.getChannels();
    });
  }

  async setPowerPercent(channel: number, powerPercent: number, origin?: string): Promise<void> {
    await this.commandPowerPercent(channel, powerPercent, origin);
  }

  async setChannelOn(channel: number, on: boolean, origin?: string): Promise<void> {
    await this.commandChannelOn(channel, on, origin);
  }

  /** Like setPowerPercent, accepting anything, and resolving to the power actually applied. `origin`: who asked. */
  commandPowerPercent(channel: unknown, requested: unknown, origin?: string): Promise<number> {
    return this.exclusive(async () => {
      const ch = await this.checkedChannel(channel, requested);
      const sane = finiteNonNegativeOrZero(requested);
      let power = sane.value;
      if (!sane.valid) this.clamp(ch, 'invalid-value', requested, 0, 'not a finite, non-negative number: treated as 0');
      const max = maxPowerPercentFor(this.limits, ch);
      if (power > max) {
        this.clamp(ch, 'max-power', requested, max, `above the channel maximum of ${max} %`, max);
        power = max;
      }
      const allowed = this.dose.allowedPercent(ch);
      if (this.state(ch).on && power > allowed) {
        this.clamp(ch, 'dose-budget', requested, allowed, this.dose.describe());
        power = allowed;
      }
      await this.apply(ch, { on: this.state(ch).on, powerPercent: power });
      return power;
    }, origin);
  }

  /** Like setChannelOn, accepting anything, and resolving to whether the channel is on now. */
  commandChannelOn(channel: unknown, requested: unknown, origin?: string): Promise<boolean> {
    return this.exclusive(async () => {
      const ch = await this.checkedChannel(channel, requested);
      let on = requested === true;
      if (typeof requested !== 'boolean') this.clamp(ch, 'invalid-value', requested, false, 'on/off must be a boolean: treated as off');
      let power = this.state(ch).powerPercent;
      const allowed = this.dose.allowedPercent(ch);
      if (on && !this.state(ch).on && power > allowed) {
        if (allowed > 0) {
          this.clamp(ch, 'dose-budget', power, allowed, `switching on: ${this.dose.describe()}`);
          power = allowed;
        } else {
          this.clamp(ch, 'dose-budget', requested, false, this.dose.describe());
          on = false;
        }
      }
      await this.apply(ch, { on, powerPercent: power });
      return on;
    }, origin);
  }

  allOff(origin?: string): Promise<void> {
    return this.exclusive(async () => {
      await this.ensureInitialized();
      await this.inner.allOff();
      this.changes++;
      for (const [ch, state] of this.channelMap()) {
        state.on = false;
        this.dose.book(ch, state);
      }
      this.scheduleBudgetCheck();
    }, origin);
  }

  /** The exposure to use for `requested`: invalid values become 0, long ones the configured maximum. */
  clampExposureMs(requested: unknown): number {
    const sane = finiteNonNegativeOrZero(requested);
    if (!sane.valid) {
      this.clamp(null, 'invalid-value', requested, 0, 'exposure is not a finite, non-negative number: treated as 0');
      return 0;
    }
    if (sane.value > this.limits.maxExposureMs) {
      const max = this.limits.maxExposureMs;
      this.clamp(null, 'max-exposure', requested, max, `above the maximum exposure of ${max} ms`, max);
      return max;
    }
    return sane.value;
  }

  /**
   * Applies the power a model decides. If the decision throws, is not a finite number or takes longer than
   * timeoutMs, the channel falls back to the configured fallback power, and never to more than it has now.
   */
  async setPowerPercentFromDecision(
    channel: number,
    decide: () => unknown,
    options: { timeoutMs: number; origin?: string },
  ): Promise<number> {
    let proposal: unknown;
    let failure: string | undefined;
    try {
      proposal = await decideWithin(decide, options.timeoutMs);
      if (typeof proposal !== 'number' || !Number.isFinite(proposal)) failure = `the decision was ${String(describeRequested(proposal))}`;
    } catch (err) {
      failure = `the decision failed: ${(err as Error).message}`;
    }
    if (failure === undefined) return this.commandPowerPercent(channel, proposal, options.origin);
    return this.exclusive(async () => {
      const ch = await this.checkedChannel(channel, proposal);
      const fallback = Math.min(this.limits.fallbackPowerPercent, this.state(ch).powerPercent, maxPowerPercentFor(this.limits, ch));
      this.clamp(ch, 'model-fallback', proposal, fallback, `${failure}; falling back to ${fallback} %`);
      await this.apply(ch, { on: this.state(ch).on, powerPercent: fallback });
      return fallback;
    }, options.origin);
  }

  /** How many commands have reached the device so far. */
  get changeCount(): number {
    return this.changes;
  }

  /** The dose in the current window and the budget, for display; undefined without a dose limit. */
  doseInWindow(): DoseInWindow | undefined {
    return this.dose.inWindow();
  }

  /** Stops the budget timer; the wrapped source stays as it is. */
  dispose(): void {
    this.disposed = true;
    if (this.budgetTimer) clearTimeout(this.budgetTimer);
    this.clampSubject.complete();
  }

  private exclusive<T>(work: () => Promise<T>, origin = 'unspecified'): Promise<T> {
    const run = this.queue.then(async () => {
      this.origin = origin;
      try {
        return await work();
      } finally {
        this.origin = 'unspecified';
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ensureInitialized(): Promise<void> {
    if (this.channels) return;
    const found = await this.inner.getChannels();
    const channels = new Map<number, ChannelCommand>(found.map((c) => [c.index, { on: c.on, powerPercent: c.powerPercent }]));
    this.channels = channels;
    for (const [ch, state] of channels) this.dose.book(ch, state);
    for (const [ch, state] of channels) {
      const max = maxPowerPercentFor(this.limits, ch);
      const sane = finiteNonNegativeOrZero(state.powerPercent);
      if (sane.valid && sane.value <= max) continue;
      const applied = sane.valid ? max : 0;
      this.clamp(ch, 'initial-state', state.powerPercent, applied, `found at ${state.powerPercent} %, above the maximum of ${max} %`, max);
      await this.apply(ch, { on: state.on, powerPercent: applied });
    }
    this.scheduleBudgetCheck();
  }

  private async checkedChannel(channel: unknown, requested: unknown): Promise<number> {
    await this.ensureInitialized();
    if (typeof channel === 'number' && this.channelMap().has(channel)) return channel;
    const known = [...this.channelMap().keys()].join(', ');
    this.clamp(
      null,
      'invalid-channel',
      requested,
      0,
      `${this.label} has no channel ${String(describeRequested(channel))} (channels: ${known})`,
    );
    throw new LightCommandRejectedError(`${this.label} has no channel ${String(describeRequested(channel))}; channels are ${known}`);
  }

  /**
   * Books more light before the device gets it and less light after: the books never show less than emitted. A
   * channel being switched off is switched off before its power changes, one being switched on after.
   */
  private async apply(channel: number, next: ChannelCommand): Promise<void> {
    const state = this.state(channel);
    const before = this.dose.rate(channel, state);
    const after = this.dose.rate(channel, next);
    if (after > before) this.dose.book(channel, next);
    this.changes++;
    try {
      if (!next.on && state.on) {
        await this.inner.setChannelOn(channel, false);
        state.on = false;
      }
      if (next.powerPercent !== state.powerPercent) {
        await this.inner.setPowerPercent(channel, next.powerPercent);
        state.powerPercent = next.powerPercent;
      }
      if (next.on && !state.on) {
        await this.inner.setChannelOn(channel, true);
        state.on = true;
      }
      if (after <= before) this.dose.book(channel, next);
    } finally {
      this.scheduleBudgetCheck();
    }
  }

  private scheduleBudgetCheck(delayMs?: number): void {
    if (this.disposed) return;
    if (this.budgetTimer) clearTimeout(this.budgetTimer);
    const untilMs = delayMs ?? this.dose.msUntilCut();
    if (untilMs === Infinity) return;
    // setTimeout takes at most 2^31 − 1 ms (about 24 days); a longer wait fires at once, so check again then.
    this.budgetTimer = setTimeout(
      () => void this.exclusive(() => this.enforceBudget(), 'dose budget'),
      Math.min(Math.max(0, untilMs), MAX_TIMER_MS),
    );
    this.budgetTimer.unref();
  }

  /** Cuts every lit channel to 0 % once the budget is (about to be) used up; retries while the device is away. */
  private async enforceBudget(): Promise<void> {
    if (this.disposed) return;
    if (this.dose.msUntilCut() > 0) {
      this.scheduleBudgetCheck();
      return;
    }
    for (const [ch, state] of this.channelMap()) {
      if (this.dose.rate(ch, state) === 0) continue;
      this.clamp(ch, 'dose-budget', state.powerPercent, 0, this.dose.describe());
      try {
        await this.apply(ch, { on: state.on, powerPercent: 0 });
      } catch (err) {
        this.logger.warn({
          msg: 'could not cut the light at the dose budget; retrying',
          source: this.label,
          channel: ch,
          error: (err as Error).message,
        });
        this.scheduleBudgetCheck(100);
        return;
      }
    }
  }

  private channelMap(): Map<number, ChannelCommand> {
    if (!this.channels) throw new Error('SafeLightSource used before initialisation');
    return this.channels;
  }

  private state(channel: number): ChannelCommand {
    const state = this.channelMap().get(channel);
    if (!state) throw new LightCommandRejectedError(`${this.label} has no channel ${channel}`);
    return state;
  }

  private clamp(
    channel: number | null,
    reason: ClampReason,
    requested: unknown,
    applied: number | boolean,
    detail: string,
    limit?: number,
  ): void {
    const event: ClampEvent = {
      source: this.label,
      channel,
      reason,
      requested: describeRequested(requested),
      applied,
      limit,
      detail,
      origin: this.origin,
      at: new Date(this.now()).toISOString(),
    };
    this.logger.warn({ msg: 'light command clamped', ...event });
    this.clampSubject.next(event);
  }
}
