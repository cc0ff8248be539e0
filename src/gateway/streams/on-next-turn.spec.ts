import { Subject } from 'rxjs';
import { onNextTurn } from './on-next-turn';

describe('onNextTurn', () => {
  it('returns to the producer before delivering, keeps the order, and completes after the values', async () => {
    const source = new Subject<number>();
    const seen: Array<number | 'done'> = [];
    const finished = new Promise<void>((resolve) =>
      source.pipe(onNextTurn()).subscribe({ next: (v) => seen.push(v), complete: () => (seen.push('done'), resolve()) }),
    );
    source.next(1);
    source.next(2);
    source.complete();
    expect(seen).toEqual([]);
    await finished;
    expect(seen).toEqual([1, 2, 'done']);
  });

  it('delivers nothing after unsubscribing', async () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    const subscription = source.pipe(onNextTurn()).subscribe((v) => seen.push(v));
    source.next(1);
    subscription.unsubscribe();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([]);
  });
});
