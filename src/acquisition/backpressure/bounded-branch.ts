import { Observable, type Subscription } from 'rxjs';

/**
 * How a consumer slower than the camera is fed. The source never waits:
 * - `latest-only`: keep only the newest unprocessed item;
 * - `drop-oldest`: keep up to `capacity` items, dropping the oldest when full;
 * - `every-nth`: offer only every n-th item, and among those behave like latest-only.
 */
export type BranchPolicy =
  | { readonly kind: 'latest-only' }
  | { readonly kind: 'drop-oldest'; readonly capacity: number }
  | { readonly kind: 'every-nth'; readonly n: number };

export interface BranchStats {
  readonly policy: BranchPolicy;
  readonly offered: number;
  readonly processed: number;
  readonly skipped: number;
  readonly failed: number;
  readonly queued: number;
}

export class BranchPolicyError extends Error {
  override readonly name = 'BranchPolicyError';
}

function validatePolicy(policy: BranchPolicy): void {
  if (policy.kind === 'drop-oldest' && !(Number.isInteger(policy.capacity) && policy.capacity >= 1)) {
    throw new BranchPolicyError(`drop-oldest capacity must be an integer ≥ 1, got ${policy.capacity}`);
  }
  if (policy.kind === 'every-nth' && !(Number.isInteger(policy.n) && policy.n >= 1)) {
    throw new BranchPolicyError(`every-nth n must be an integer ≥ 1, got ${policy.n}`);
  }
}

/**
 * A processing branch of a frame stream: `process` runs on one item at a time; items arriving meanwhile are
 * queued by the declared policy and the ones it discards are counted. The returned Observable emits results.
 * A failing item is counted and reported through `onError`; the branch goes on with the next one.
 */
export class BoundedBranch<T, R> {
  private readonly queue: T[] = [];
  private busy = false;
  private offeredCount = 0;
  private processedCount = 0;
  private skippedCount = 0;
  private failedCount = 0;

  constructor(
    readonly policy: BranchPolicy,
    private readonly process: (item: T) => Promise<R>,
    private readonly emit: (result: R) => void,
    private readonly onError: (err: unknown, item: T) => void = () => undefined,
  ) {
    validatePolicy(policy);
  }

  offer(item: T): void {
    this.offeredCount++;
    if (this.policy.kind === 'every-nth' && (this.offeredCount - 1) % this.policy.n !== 0) {
      this.skippedCount++;
      return;
    }
    const capacity = this.policy.kind === 'drop-oldest' ? this.policy.capacity : 1;
    if (!this.busy) {
      void this.run(item);
      return;
    }
    if (this.queue.length >= capacity) {
      this.queue.shift();
      this.skippedCount++;
    }
    this.queue.push(item);
  }

  stats(): BranchStats {
    return {
      policy: this.policy,
      offered: this.offeredCount,
      processed: this.processedCount,
      skipped: this.skippedCount,
      failed: this.failedCount,
      queued: this.queue.length,
    };
  }

  /** Resolves once nothing is queued or running. */
  async drained(): Promise<void> {
    while (this.busy || this.queue.length) await new Promise((r) => setTimeout(r, 5));
  }

  private async run(first: T): Promise<void> {
    this.busy = true;
    let item: T | undefined = first;
    while (item !== undefined) {
      try {
        const result = await this.process(item);
        this.processedCount++;
        this.emit(result);
      } catch (err) {
        this.failedCount++;
        this.onError(err, item);
      }
      item = this.queue.shift();
    }
    this.busy = false;
  }
}

/** Who watches a branch: its counters after each item, and each item that failed. */
export interface BranchHooks {
  readonly onStats?: (stats: BranchStats) => void;
  readonly onError?: (err: unknown) => void;
}

/** The branch as an RxJS operator: subscribe to the source, never slow it, emit results as they come. */
export function boundedBranch<T, R>(policy: BranchPolicy, process: (item: T) => Promise<R>, { onStats, onError }: BranchHooks = {}) {
  return (source: Observable<T>): Observable<R> =>
    new Observable<R>((subscriber) => {
      const branch = new BoundedBranch<T, R>(
        policy,
        process,
        (result) => {
          subscriber.next(result);
          onStats?.(branch.stats());
        },
        (err) => {
          onError?.(err);
          onStats?.(branch.stats());
        },
      );
      const upstream: Subscription = source.subscribe({
        next: (item) => branch.offer(item),
        error: (err) => subscriber.error(err),
        complete: () => void branch.drained().then(() => subscriber.complete()),
      });
      return () => upstream.unsubscribe();
    });
}
