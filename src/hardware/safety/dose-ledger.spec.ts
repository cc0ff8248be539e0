import { DoseLedger } from './dose-ledger';

describe('the dose ledger', () => {
  it('integrates power over on-time within the window', () => {
    const ledger = new DoseLedger(10_000);
    ledger.setRate(0, 50, 0);
    expect(ledger.usedInWindow(2_000)).toBeCloseTo(100); // 50 % for 2 s
    ledger.setRate(1, 25, 2_000);
    expect(ledger.usedInWindow(4_000)).toBeCloseTo(250); // + 75 % for 2 s
    ledger.setRate(0, 0, 4_000);
    ledger.setRate(1, 0, 4_000);
    expect(ledger.usedInWindow(9_000)).toBeCloseTo(250);
  });

  it('forgets light that slid out of the window', () => {
    const ledger = new DoseLedger(1_000);
    ledger.setRate(0, 100, 0);
    ledger.setRate(0, 0, 500);
    expect(ledger.usedInWindow(1_000)).toBeCloseTo(50);
    expect(ledger.usedInWindow(1_250)).toBeCloseTo(25);
    expect(ledger.usedInWindow(2_000)).toBe(0);
    ledger.setRate(0, 10, 3_000); // prunes the old steps
    expect(ledger.usedInWindow(3_500)).toBeCloseTo(5);
  });

  it('gives a time to exhaustion that is never late', () => {
    const ledger = new DoseLedger(10_000);
    ledger.setRate(0, 20, 0);
    expect(ledger.msUntilBudgetReached(100, 0)).toBeCloseTo(5_000);
    expect(ledger.msUntilBudgetReached(100, 4_000)).toBeCloseTo(1_000);
    ledger.setRate(0, 0, 4_000);
    expect(ledger.msUntilBudgetReached(100, 4_000)).toBe(Infinity);
  });

  it('refuses rates that are not finite and non-negative', () => {
    const ledger = new DoseLedger(1_000);
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) expect(() => ledger.setRate(0, bad, 0)).toThrow(RangeError);
  });
});
