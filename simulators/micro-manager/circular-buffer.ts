/**
 * MMCore's circular buffer: a capacity in frames from a memory footprint in MB (default 250). When full, a
 * stop-on-overflow acquisition gets an overflow (isBufferOverflowed, the camera stops); otherwise the buffer
 * is emptied and refilled from the new frame, as MMCore's overwrite mode does.
 */
import type { SimImage } from './camera';
import { CoreError } from './sim-device';

export interface BufferedFrame {
  readonly image: SimImage;
  readonly cameraLabel: string;
  readonly imageNumber: number;
  readonly elapsedMs: number;
  readonly receivedAt: Date;
  readonly binning: string;
  /** Which physical camera of a Multi Camera took it (CameraChannelIndex); absent for a single camera. */
  readonly cameraChannelIndex?: number;
}

const MIB = 1024 * 1024;

export class CircularBuffer {
  private frames: BufferedFrame[] = [];
  private head = 0;
  private overflowed = false;
  private capacityFrames = 1;
  private lastInserted?: BufferedFrame;
  footprintMb = 250;

  /** Sizes the buffer for frames of this many bytes and empties it (CircularBuffer::Initialize). */
  initialize(frameBytes: number): void {
    this.capacityFrames = CircularBuffer.capacityFor(this.footprintMb, frameBytes);
    this.clear();
  }

  static capacityFor(footprintMb: number, frameBytes: number): number {
    return Math.max(1, Math.floor((footprintMb * MIB) / frameBytes));
  }

  get capacity(): number {
    return this.capacityFrames;
  }

  get remaining(): number {
    return this.frames.length - this.head;
  }

  get isOverflowed(): boolean {
    return this.overflowed;
  }

  /** A reader too slow for the camera, as a fault to inject: the buffer reports an overflow from now on. */
  markOverflowed(): void {
    this.overflowed = true;
  }

  /** false when full in stop-on-overflow mode. */
  insert(frame: BufferedFrame, overwrite: boolean): boolean {
    if (this.remaining >= this.capacityFrames) {
      if (!overwrite) {
        this.overflowed = true;
        return false;
      }
      this.frames = [];
      this.head = 0;
    }
    this.frames.push(frame);
    this.lastInserted = frame;
    return true;
  }

  popNext(): BufferedFrame {
    if (this.remaining === 0) throw new CoreError(this.overflowed ? 'Circular buffer overflowed.' : 'Circular buffer is empty.');
    const frame = this.frames[this.head++];
    // Drop popped frames soon: a 2048² frame holds 8 MB.
    if (this.head >= 8) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
    return frame;
  }

  /** The newest frame, popped or not (CircularBuffer::GetTopImage). */
  last(): BufferedFrame {
    if (!this.lastInserted) throw new CoreError('Circular buffer is empty.');
    return this.lastInserted;
  }

  /** The n-th frame before the newest (0 = the newest), while it is still held. */
  beforeLast(n: number): BufferedFrame {
    const frame = this.frames[this.frames.length - 1 - n];
    if (n < 0 || !frame) throw new CoreError('Circular buffer is empty.');
    return frame;
  }

  clear(): void {
    this.frames = [];
    this.head = 0;
    this.overflowed = false;
    this.lastInserted = undefined;
  }
}
