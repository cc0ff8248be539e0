/**
 * Per-client backpressure for records that should all arrive (decisions, series points): one batch in flight;
 * while it is unacknowledged new records queue up to `capacity`, beyond which the oldest are dropped and counted.
 */
export class BoundedBatchSender<T> {
  private inFlight = false;
  private queue: T[] = [];
  private closed = false;
  private droppedSinceLastBatch = 0;
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly send: (batch: readonly T[], droppedBefore: number, acknowledged: () => void) => void,
  ) {}

  offer(item: T): void {
    if (this.closed) return;
    this.queue.push(item);
    if (this.queue.length > this.capacity) {
      this.queue.shift();
      this.dropped++;
      this.droppedSinceLastBatch++;
    }
    if (!this.inFlight) this.dispatch();
  }

  close(): void {
    this.closed = true;
    this.queue = [];
  }

  private dispatch(): void {
    if (this.closed || this.queue.length === 0) return;
    const batch = this.queue;
    const droppedBefore = this.droppedSinceLastBatch;
    this.queue = [];
    this.droppedSinceLastBatch = 0;
    this.inFlight = true;
    let done = false;
    this.send(batch, droppedBefore, () => {
      if (done) return;
      done = true;
      this.inFlight = false;
      this.dispatch();
    });
  }
}
