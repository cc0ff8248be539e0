import { filter, ReplaySubject, takeUntil, type Observable, type Subscription } from 'rxjs';
import type { Frame } from '../../acquisition/frame';
import type { AcquisitionService } from '../../acquisition/service/acquisition.service';

/** What a live branch needs of the acquisitions: their lifecycle, their written frames, their raw data sets. */
export type AcquisitionSource = Pick<AcquisitionService, 'lifecycle$' | 'frames$' | 'dataset'>;

const OVER = new Set(['finished', 'cancelled', 'failed']);

/**
 * What every live model branch does per acquisition: start its work when an acquisition starts, feed it that
 * acquisition's written frames until the run is over, and let callers wait for the work to settle.
 */
export class PerAcquisition {
  private readonly pending = new Map<string, Promise<void>>();
  private subscription?: Subscription;

  constructor(private readonly acquisitions: AcquisitionSource) {}

  /** Runs `work(acquisitionId)` for every acquisition that starts from now on. */
  onEachStart(work: (acquisitionId: string) => Promise<void>): void {
    this.subscription = this.acquisitions.lifecycle$.pipe(filter((event) => event.type === 'started')).subscribe((event) => {
      const id = event.progress.acquisitionId;
      const running = work(id);
      this.pending.set(id, running);
      void running.finally(() => this.pending.delete(id));
    });
  }

  /**
   * The acquisition's frames once written, completing when the run is over. Subscribed at once: while the model
   * and its data sets open, the latest frame is kept (a bounded branch would keep no more).
   */
  writtenFrames(acquisitionId: string): Observable<Frame> {
    const over$ = this.acquisitions.lifecycle$.pipe(filter((event) => event.progress.acquisitionId === acquisitionId && OVER.has(event.type)));
    const frames$ = new ReplaySubject<Frame>(1);
    this.acquisitions.frames$.pipe(filter((frame) => frame.meta.acquisitionId === acquisitionId), takeUntil(over$)).subscribe(frames$);
    return frames$;
  }

  /** Resolves once the acquisition's work (if any) is done. */
  async settled(acquisitionId: string): Promise<void> {
    await this.pending.get(acquisitionId);
  }

  /** Stops starting work and waits for what runs. */
  async close(): Promise<void> {
    this.subscription?.unsubscribe();
    await Promise.all(this.pending.values());
  }
}
