import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Re-emits each value from a setImmediate callback: the producer (the acquisition publishing a frame) returns at
 * once and carries on with its next hardware call, while the preview and the send happen right after the
 * pending I/O callbacks — sooner than a timer, never inside the producer's own call.
 */
export function onNextTurn<T>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const pending = new Set<NodeJS.Immediate>();
      const subscription = source.subscribe({
        next: (value) => {
          const handle = setImmediate(() => {
            pending.delete(handle);
            subscriber.next(value);
          });
          pending.add(handle);
        },
        error: (err) => subscriber.error(err),
        // After the values already waiting, so the order is kept.
        complete: () => {
          pending.add(setImmediate(() => subscriber.complete()));
        },
      });
      return () => {
        subscription.unsubscribe();
        for (const handle of pending) clearImmediate(handle);
      };
    });
}
