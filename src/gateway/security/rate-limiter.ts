/** Fixed-window counter per client key; windows of idle clients are forgotten so memory stays bounded. */
export class RateLimiter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();
  private readonly windowMs: number;

  constructor(
    windowS: number,
    private readonly maxRequests: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = windowS * 1000;
  }

  /** Counts one request; answers 0 when allowed, else the seconds until the client may try again. */
  take(clientKey: string): number {
    const nowMs = this.now();
    let window = this.windows.get(clientKey);
    if (!window || nowMs - window.startMs >= this.windowMs) {
      if (this.windows.size > 10_000) this.forgetIdle(nowMs);
      window = { startMs: nowMs, count: 0 };
      this.windows.set(clientKey, window);
    }
    window.count++;
    if (window.count <= this.maxRequests) return 0;
    return Math.max(1, Math.ceil((window.startMs + this.windowMs - nowMs) / 1000));
  }

  private forgetIdle(nowMs: number): void {
    for (const [key, window] of this.windows) if (nowMs - window.startMs >= this.windowMs) this.windows.delete(key);
  }
}
