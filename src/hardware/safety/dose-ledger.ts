/**
 * Light dose over a sliding time window: each channel emits at a rate (% or mW) that changes stepwise; the dose in
 * the window is the integral of the summed rate over the last windowMs. Pure bookkeeping, times are given.
 */
export class DoseLedger {
  private readonly channelRates = new Map<number, number>();
  /** Moments the summed rate changed, oldest first; the first may lie before the window (it sets the rate at its start). */
  private steps: { atMs: number; rate: number }[] = [];

  constructor(readonly windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError(`dose window must be positive, got ${windowMs} ms`);
  }

  get currentRate(): number {
    return this.steps.length ? this.steps[this.steps.length - 1].rate : 0;
  }

  rateOf(channel: number): number {
    return this.channelRates.get(channel) ?? 0;
  }

  setRate(channel: number, rate: number, atMs: number): void {
    if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError(`dose rate must be finite and ≥ 0, got ${rate}`);
    this.channelRates.set(channel, rate);
    let total = 0;
    for (const r of this.channelRates.values()) total += r;
    const last = this.steps[this.steps.length - 1];
    // Time never runs backwards in the ledger: a late caller is booked at the latest step.
    const at = last ? Math.max(atMs, last.atMs) : atMs;
    if (last && last.atMs === at) last.rate = total;
    else this.steps.push({ atMs: at, rate: total });
    this.prune(at);
  }

  /** Dose accrued in (nowMs − window, nowMs], rate units × seconds. */
  usedInWindow(nowMs: number): number {
    const startMs = nowMs - this.windowMs;
    let doseRateMs = 0;
    for (let i = 0; i < this.steps.length; i++) {
      const from = Math.max(this.steps[i].atMs, startMs);
      const to = Math.min(i + 1 < this.steps.length ? this.steps[i + 1].atMs : nowMs, nowMs);
      if (to > from) doseRateMs += this.steps[i].rate * (to - from);
    }
    return doseRateMs / 1000;
  }

  /**
   * A lower bound on how long until the dose in the window reaches `budget` at the current rate: dose leaving the
   * window can only postpone that moment, so acting then is never late. Infinity when nothing emits.
   */
  msUntilBudgetReached(budget: number, nowMs: number): number {
    const rate = this.currentRate;
    if (rate <= 0) return Infinity;
    return Math.max(0, ((budget - this.usedInWindow(nowMs)) / rate) * 1000);
  }

  private prune(nowMs: number): void {
    const startMs = nowMs - this.windowMs;
    let firstInWindow = this.steps.findIndex((s) => s.atMs > startMs);
    if (firstInWindow < 0) firstInWindow = this.steps.length;
    // Keep the step in force at the window's start.
    if (firstInWindow > 1) this.steps = this.steps.slice(firstInWindow - 1);
  }
}
