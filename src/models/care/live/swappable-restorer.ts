import type { Restoration } from '../care-restorer';
import type { FrameRestorer } from './frame-restorer';

/**
 * A FrameRestorer whose model can be replaced while frames flow: the next frame goes to the new model, the old one
 * is closed once its frame in flight is back. `modelId` names the model that restored the latest frame, so every
 * restored frame's metadata names the model that made it.
 */
export class SwappableRestorer implements FrameRestorer {
  private lastModelId: string;
  private lastRuntimeName: string;
  private readonly inFlight = new Map<FrameRestorer, Set<Promise<unknown>>>();

  constructor(private current: FrameRestorer) {
    this.lastModelId = current.modelId;
    this.lastRuntimeName = current.runtimeName;
  }

  get modelId(): string {
    return this.lastModelId;
  }

  get runtimeName(): string {
    return this.lastRuntimeName;
  }

  /** The model new frames go to. */
  get active(): FrameRestorer {
    return this.current;
  }

  async restore(pixels: ArrayLike<number>, widthPx: number, heightPx: number): Promise<Restoration> {
    const restorer = this.current;
    const work = restorer.restore(pixels, widthPx, heightPx);
    const pending = this.inFlight.get(restorer) ?? new Set<Promise<unknown>>();
    this.inFlight.set(restorer, pending);
    pending.add(work);
    try {
      const restoration = await work;
      this.lastModelId = restorer.modelId;
      this.lastRuntimeName = restorer.runtimeName;
      return restoration;
    } finally {
      pending.delete(work);
    }
  }

  /** Routes new frames to `next`, then closes the previous model after its frames in flight. */
  async swap(next: FrameRestorer): Promise<void> {
    const previous = this.current;
    this.current = next;
    await Promise.allSettled([...(this.inFlight.get(previous) ?? [])]);
    this.inFlight.delete(previous);
    await previous.close();
  }

  close(): Promise<void> {
    return this.current.close();
  }
}
