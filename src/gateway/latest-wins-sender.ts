/**
 * Per-client backpressure: at most one message in flight to a client; while it is unacknowledged, newer
 * messages replace the waiting one (latest wins) and the replaced ones are counted. A stalled client thus
 * costs one pending message, and never delays anybody else.
 */
export class LatestWinsSender<T> {
  private inFlight = false;
  private pending: T | undefined;
  private closed = false;
  dropped = 0;
  sent = 0;

  constructor(private readonly send: (message: T, acknowledged: () => void) => void) {}

  offer(message: T): void {
    if (this.closed) return;
    if (this.inFlight) {
      if (this.pending !== undefined) this.dropped++;
      this.pending = message;
      return;
    }
    this.dispatch(message);
  }

  close(): void {
    this.closed = true;
    this.pending = undefined;
  }

  private dispatch(message: T): void {
    this.inFlight = true;
    this.sent++;
    let done = false;
    this.send(message, () => {
      if (done) return;
      done = true;
      this.inFlight = false;
      const next = this.pending;
      this.pending = undefined;
      if (next !== undefined && !this.closed) this.dispatch(next);
    });
  }
}
