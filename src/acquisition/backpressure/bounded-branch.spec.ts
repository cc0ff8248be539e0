import { Subject, lastValueFrom, toArray } from 'rxjs';
import { BoundedBranch, BranchPolicyError, boundedBranch } from './bounded-branch';

/** A consumer whose every item waits until the test releases it. */
function gatedConsumer() {
  const seen: number[] = [];
  const gates: Array<() => void> = [];
  const process = (item: number) =>
    new Promise<number>((resolve) => {
      seen.push(item);
      gates.push(() => resolve(item * 10));
    });
  const release = async () => {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { seen, process, release };
}

describe('bounded processing branches', () => {
  it('latest-only processes the newest waiting item and counts the rest as skipped', async () => {
    const consumer = gatedConsumer();
    const results: number[] = [];
    const branch = new BoundedBranch({ kind: 'latest-only' }, consumer.process, (r) => results.push(r));
    for (let i = 0; i < 10; i++) branch.offer(i);
    await consumer.release();
    await consumer.release();
    expect(consumer.seen).toEqual([0, 9]);
    expect(results).toEqual([0, 90]);
    expect(branch.stats()).toMatchObject({ offered: 10, processed: 2, skipped: 8, queued: 0 });
  });

  it('drop-oldest keeps the newest items up to its capacity', async () => {
    const consumer = gatedConsumer();
    const branch = new BoundedBranch({ kind: 'drop-oldest', capacity: 3 }, consumer.process, () => undefined);
    for (let i = 0; i < 10; i++) branch.offer(i);
    expect(branch.stats().queued).toBe(3);
    for (let i = 0; i < 4; i++) await consumer.release();
    expect(consumer.seen).toEqual([0, 7, 8, 9]);
    expect(branch.stats().skipped).toBe(6);
  });

  it('every-nth offers only every n-th item', async () => {
    const processed: number[] = [];
    const branch = new BoundedBranch(
      { kind: 'every-nth', n: 3 },
      async (i: number) => i,
      (r) => processed.push(r),
    );
    for (let i = 0; i < 10; i++) {
      branch.offer(i);
      await branch.drained();
    }
    expect(processed).toEqual([0, 3, 6, 9]);
    expect(branch.stats().skipped).toBe(6);
  });

  it('keeps going after a failing item and counts it', async () => {
    const errors: unknown[] = [];
    const processed: number[] = [];
    const branch = new BoundedBranch(
      { kind: 'drop-oldest', capacity: 10 },
      async (i: number) => {
        if (i === 1) throw new Error('model crashed');
        return i;
      },
      (r) => processed.push(r),
      (err) => errors.push(err),
    );
    [0, 1, 2].forEach((i) => branch.offer(i));
    await branch.drained();
    expect(processed).toEqual([0, 2]);
    expect(branch.stats().failed).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('never makes the source wait: a stalled consumer holds at most its capacity', () => {
    const branch = new BoundedBranch(
      { kind: 'drop-oldest', capacity: 4 },
      () => new Promise<number>(() => undefined),
      () => undefined,
    );
    for (let i = 0; i < 100_000; i++) branch.offer(i);
    expect(branch.stats()).toMatchObject({ offered: 100_000, queued: 4, skipped: 100_000 - 5 });
  });

  it('refuses a policy that makes no sense, naming it', () => {
    expect(
      () =>
        new BoundedBranch(
          { kind: 'drop-oldest', capacity: 0 },
          async () => 0,
          () => undefined,
        ),
    ).toThrow(BranchPolicyError);
    expect(
      () =>
        new BoundedBranch(
          { kind: 'every-nth', n: 1.5 },
          async () => 0,
          () => undefined,
        ),
    ).toThrow(/every-nth n/);
  });

  it('works as an RxJS operator and completes after draining', async () => {
    const source = new Subject<number>();
    const done = lastValueFrom(
      source.pipe(
        boundedBranch({ kind: 'drop-oldest', capacity: 100 }, async (i: number) => i * 2),
        toArray(),
      ),
    );
    [1, 2, 3].forEach((i) => source.next(i));
    source.complete();
    expect(await done).toEqual([2, 4, 6]);
  });
});
