import { DoseLedger } from './dose-ledger';
import { doseBudget, doseRateFor, type DoseBudget, type LightSafetyLimits } from './safety-limits';

export interface ChannelLight {
  readonly on: boolean;
  readonly powerPercent: number;
}

export interface DoseInWindow {
  readonly used: number;
  readonly budget: number;
  readonly windowS: number;
  readonly unit: string;
}

/**
 * The dose budget of one light source: books what each channel emits, says how much power a channel may still
 * get, and when the light must be cut. Without a dose limit it allows everything and never asks for a cut.
 */
export class DoseGuard {
  private readonly budget?: DoseBudget;
  private readonly ledger?: DoseLedger;

  constructor(
    private readonly limits: LightSafetyLimits,
    private readonly now: () => number,
  ) {
    this.budget = doseBudget(limits);
    if (this.budget) this.ledger = new DoseLedger(this.budget.windowS * 1000);
  }

  rate(channel: number, light: ChannelLight): number {
    return light.on ? doseRateFor(this.limits, channel, light.powerPercent) : 0;
  }

  book(channel: number, light: ChannelLight): void {
    this.ledger?.setRate(channel, this.rate(channel, light), this.now());
  }

  /**
   * The most power `channel` may get now: lowered as the budget is used, so that the reserve time (default: the
   * maximum exposure) at that power, with the other channels as they are, still fits in what is left; below 1 % it
   * is 0. Infinity without a dose limit, or for a channel whose light is not counted.
   */
  allowedPercent(channel: number): number {
    if (!this.ledger || !this.budget) return Infinity;
    const dosePerPercent = doseRateFor(this.limits, channel, 1);
    if (dosePerPercent <= 0) return Infinity;
    const remaining = this.budget.amount - this.ledger.usedInWindow(this.now());
    const othersRate = this.ledger.currentRate - this.ledger.rateOf(channel);
    const allowed = (remaining / this.budget.reserveS - othersRate) / dosePerPercent;
    return allowed >= 1 ? allowed : 0;
  }

  /** How long the light may stay as it is before it must be cut (the cut-off lead taken off); Infinity if never. */
  msUntilCut(): number {
    if (!this.ledger || !this.budget) return Infinity;
    return this.ledger.msUntilBudgetReached(this.budget.amount, this.now()) - this.limits.budgetCutoffLeadMs;
  }

  inWindow(): DoseInWindow | undefined {
    if (!this.ledger || !this.budget) return undefined;
    return { used: this.ledger.usedInWindow(this.now()), budget: this.budget.amount, windowS: this.budget.windowS, unit: this.budget.unit };
  }

  describe(): string {
    const dose = this.inWindow();
    return dose ? `dose budget used: ${dose.used.toFixed(2)} of ${dose.budget} ${dose.unit} in ${dose.windowS} s` : 'no dose budget';
  }
}
