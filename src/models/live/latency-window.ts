export interface LatencySummary {
  readonly last: number;
  readonly median: number;
  readonly p95: number;
  readonly samples: number;
}

const RECENT = 100;

/** How long the recent frames took (the last 100), and how many there were in all. */
export class LatencyWindow {
  private readonly recent: number[] = [];
  private count = 0;

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.count++;
    this.recent.push(ms);
    if (this.recent.length > RECENT) this.recent.shift();
  }

  get frames(): number {
    return this.count;
  }

  summary(): LatencySummary | null {
    if (!this.recent.length) return null;
    const sorted = [...this.recent].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { last: this.recent[this.recent.length - 1], median: at(0.5), p95: at(0.95), samples: this.recent.length };
  }
}
