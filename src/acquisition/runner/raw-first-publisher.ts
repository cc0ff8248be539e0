import type { Frame } from '../frame';
import type { DatasetEnding } from '../storage';

export interface FrameSink {
  write(frame: Frame): Promise<void>;
  close(ending?: DatasetEnding): Promise<void>;
}

/**
 * Raw is written before anyone else sees it: frames are queued to the durable sink in order, and each is
 * published to processing branches only once written. The acquisition waits only when the queue holds more
 * than `maxQueuedBytes` (the disk is then the physical limit), never on a processing branch.
 */
export class RawFirstPublisher {
  private queuedBytes = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure?: Error;
  private readonly waiters: Array<() => void> = [];
  written = 0;

  constructor(
    private readonly sink: FrameSink | undefined,
    private readonly publish: (frame: Frame) => void,
    private readonly maxQueuedBytes = 1 << 30,
  ) {}

  get error(): Error | undefined {
    return this.failure;
  }

  /** Queues the frame; resolves when the caller may acquire the next one. Throws once the sink has failed. */
  async accept(frame: Frame): Promise<void> {
    if (this.failure) throw this.failure;
    const bytes = frame.pixels.byteLength;
    this.queuedBytes += bytes;
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await this.sink?.write(frame);
        this.written++;
        this.publish(frame);
      } catch (err) {
        this.failure = err as Error;
      } finally {
        this.queuedBytes -= bytes;
        this.waiters.splice(0).forEach((wake) => wake());
      }
    });
    while (this.queuedBytes > this.maxQueuedBytes && !this.failure) {
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
    if (this.failure) throw this.failure;
  }

  /** Waits for every queued frame to be written, then closes the sink telling it how the run ended (also after a failure). */
  async finish(ending?: DatasetEnding): Promise<void> {
    await this.chain;
    await this.sink?.close(ending);
    if (this.failure) throw this.failure;
  }
}
