/**
 * A branch's model, started on first use and shared by every acquisition after it; with `retry`, a start that
 * failed is tried again on the next use (a worker may fail for a reason that passes).
 */
export class StartedOnce<T extends { close(): Promise<void> }> {
  private started?: Promise<T>;

  constructor(
    private readonly start: () => Promise<T>,
    private readonly retry = false,
  ) {}

  get(): Promise<T> {
    if (!this.started) {
      const started = this.start();
      this.started = started;
      if (this.retry) started.catch(() => this.started === started && (this.started = undefined));
    }
    return this.started;
  }

  async close(): Promise<void> {
    await this.started?.then((model) => model.close(), () => undefined);
  }
}
