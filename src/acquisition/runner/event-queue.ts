/**
 * The events still to come: a lazy iterator of planned events, plus events hooks inserted, plus transforms
 * hooks registered for the future. Nothing is materialised beyond what has been inserted.
 */
export class EventQueue<E> {
  private readonly inserted: E[] = [];
  private readonly transforms: Array<(event: E) => E> = [];

  constructor(private readonly planned: Iterator<E>) {}

  /** The events run next, before the rest of the plan. */
  insertNext(events: readonly E[]): void {
    this.inserted.unshift(...events);
  }

  /** Applies to every event not yet taken, planned or inserted, e.g. the agent's new illumination. */
  transformUpcoming(transform: (event: E) => E): void {
    this.transforms.push(transform);
  }

  next(): E | undefined {
    let event = this.inserted.shift();
    if (event === undefined) {
      const step = this.planned.next();
      if (step.done) return undefined;
      event = step.value;
    }
    return this.transforms.reduce((e, transform) => transform(e), event);
  }
}
