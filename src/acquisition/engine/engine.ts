import type { PixelArray } from '../../hardware/devices';
import type { DroppedFrame, FrameMetadata } from '../frame';

/** What every planned event carries that the runner itself needs; engines see the full event type. */
export interface SchedulableEvent {
  readonly index: Readonly<Record<string, number>>;
  /** Earliest start, seconds after the (last reset of the) sequence timer. */
  readonly minStartTimeS?: number;
  readonly resetEventTimer?: boolean;
}

/** One image an engine produced for an event, with what only the engine knows about it. */
export interface EngineImage {
  readonly pixels: PixelArray;
  readonly meta: Omit<FrameMetadata, 'acquisitionId' | 'sequence' | 'wallTimeMs'> & { readonly wallTimeMs?: number };
}

/** Frames of an event the camera lost: the run records them and goes on. */
export interface EngineDropped {
  readonly dropped: readonly DroppedFrame[];
}

/**
 * The part that touches hardware, in the manner of pymmcore-plus's engine protocol: the runner walks the plan,
 * times it, pauses and cancels; the engine turns one event into hardware calls and images.
 */
export interface AcquisitionEngine<E extends SchedulableEvent> {
  setupSequence(context: { readonly acquisitionId: string }): Promise<void>;
  setupEvent(event: E): Promise<void>;
  /**
   * Runs the event and yields its image(s): one for a snap, several for a hardware-sequenced burst, and, where the
   * camera lost frames of a burst, what was lost.
   */
  execEvent(event: E): AsyncIterable<EngineImage | EngineDropped>;
  teardownEvent(event: E): Promise<void>;
  /** Leaves the hardware safe (shutter closed, illumination off). Always called, also after cancel or error. */
  teardownSequence(): Promise<void>;
}
