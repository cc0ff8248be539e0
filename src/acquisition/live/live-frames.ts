import { Observable } from 'rxjs';
import type { Camera } from '../../hardware/devices';
import type { Frame } from '../frame';

export interface LiveFramesOptions {
  readonly camera: Camera;
  readonly maxFps: number;
  readonly pixelSizeUm: () => number;
  /** Called when a snap fails; the stream keeps going (a disconnected bridge recovers by itself). */
  readonly onError?: (err: Error) => void;
}

/** One snap as a Frame with its own metadata, like frames of a planned acquisition. */
export async function snapFrame(options: LiveFramesOptions, acquisitionId: string, sequence: number): Promise<Frame> {
  const exposureMs = await options.camera.getExposureMs();
  const image = await options.camera.snap();
  return {
    pixels: image.pixels,
    meta: {
      acquisitionId,
      sequence,
      index: { t: sequence },
      width: image.width,
      height: image.height,
      bitDepth: image.bitDepth,
      pixelSizeUm: options.pixelSizeUm(),
      exposureMs,
      stage: {},
      camera: options.camera.label,
      wallTimeMs: Date.now(),
      tags: image.tags,
    },
  };
}

/** Live mode: the camera snapped as fast as `maxFps` allows, for as long as someone subscribes. */
export function liveFrames(options: LiveFramesOptions): Observable<Frame> {
  return new Observable<Frame>((subscriber) => {
    let running = true;
    const minPeriodMs = 1000 / options.maxFps;
    const acquisitionId = `live-${Date.now().toString(36)}`;
    void (async () => {
      let sequence = 0;
      while (running) {
        const startedMs = Date.now();
        try {
          const frame = await snapFrame(options, acquisitionId, sequence);
          if (!running) break;
          subscriber.next(frame);
          sequence++;
        } catch (err) {
          options.onError?.(err as Error);
          await new Promise((r) => setTimeout(r, 500));
        }
        const waitMs = minPeriodMs - (Date.now() - startedMs);
        await new Promise((r) => setTimeout(r, Math.max(0, waitMs)));
      }
    })();
    return () => {
      running = false;
    };
  });
}
