import type { Frame } from '../frame';
import type { DatasetEnding } from '../storage';

/** A frame handed to the writer, and whether the writer has it yet. */
export interface FrameReceipt {
  readonly frame: Frame;
  readonly written: Promise<boolean>;
}

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

  /**
   * Queues the frame; resolves when the caller may acquire the next one, with the frame's receipt: `written`
   * settles true once the sink has the frame, false if it never will (the failure is thrown by the next accept and
   * by finish). Throws once the sink has failed.
   */
  async accept(frame: Frame): Promise<FrameReceipt> {
    if (this.failure) throw this.failure;
    const bytes = frame.pixels.byteLength;
    this.queuedBytes += bytes;
    const written = this.chain.then(async () => {
      if (this.failure) return false;
      try {
        await this.sink?.write(frame);
        this.written++;
        this.publish(frame);
        return true;
      } catch (err) {
        this.failure = err as Error;
        return false;
      } finally {
        this.queuedBytes -= bytes;
        this.waiters.splice(0).forEach((wake) => wake());
      }
    });
    this.chain = written.then(() => undefined);
    while (this.queuedBytes > this.maxQueuedBytes && !this.failure) {
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
    if (this.failure) throw this.failure;
    return { frame, written };
  }

  /** Waits for every queued frame to be written, then closes the sink telling it how the run ended (also after a failure). */
  async finish(ending?: DatasetEnding): Promise<void> {
    await this.chain;
    await this.sink?.close(ending);
    if (this.failure) throw this.failure;
  }
}
