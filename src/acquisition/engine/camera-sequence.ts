import type { MicroscopeCore, TaggedCoreImage } from '../../hardware/micro-manager';
import type { MDAEvent } from '../plans';
import type { EngineDropped, EngineImage } from './engine';
import { burstFrame, startFocusSequence, stopFocusSequence } from './focus-sequence';

export interface CameraSequenceContext {
  readonly core: Pick<
    MicroscopeCore,
    | 'startSequenceAcquisition'
    | 'stopSequenceAcquisition'
    | 'isSequenceRunning'
    | 'getRemainingImageCount'
    | 'isBufferOverflowed'
    | 'popNextTaggedImage'
    | 'loadStageSequence'
    | 'startStageSequence'
    | 'stopStageSequence'
  >;
  /** Longest wait for a frame before the burst fails, ms. */
  readonly timeoutMs: number;
  readonly exposureMs: number;
  /** Set when the camera's trigger steps the focus stage through these positions, one per frame. */
  readonly focusSequence?: { readonly focus: string; readonly positionsUm: readonly number[] };
  /** The physical cameras the frames come from (one unless the core's camera is a Multi Camera). */
  readonly cameras: readonly string[];
  /** The data set index of a frame from one of the cameras. */
  index(planned: MDAEvent['index'], camera: number): MDAEvent['index'];
  /** The frame as the engine hands it on. */
  image(tagged: TaggedCoreImage, frameInBurst: number, hardwareTimeMs: number | undefined, camera: number): EngineImage;
}

/**
 * A hardware-sequenced burst. Frames are placed by the camera's own frame number (ImageNumber, from 0 in each
 * sequence as MMCore's cameras count): a gap means the camera lost frames, which are yielded as dropped and left
 * blank, and the burst goes on. A circular-buffer overflow stops the camera: that is an error, never a gap. Behind
 * a Multi Camera each physical camera (the Camera tag) numbers its own frames. With a focus sequence, the stage
 * sequence is loaded and started before the camera and stopped after it.
 */
export async function* runCameraSequence(
  event: MDAEvent,
  count: number,
  context: CameraSequenceContext,
): AsyncIterable<EngineImage | EngineDropped> {
  const { core, timeoutMs, focusSequence, cameras } = context;
  const lost = (camera: number, from: number, to: number, reason: string): EngineDropped => ({
    dropped: Array.from({ length: to - from }, (_, k) => ({
      index: context.index(burstFrame(event, from + k).index, camera),
      cameraImageNumber: from + k,
      reason: cameras.length > 1 ? `${cameras[camera]}: ${reason}` : reason,
    })),
  });
  // Per physical camera: the next frame number expected (each camera numbers its own frames from 0).
  const next = cameras.map(() => 0);
  const done = () => next.every((n) => n >= count);
  if (focusSequence) await startFocusSequence(core, focusSequence.focus, focusSequence.positionsUm);
  try {
    await core.startSequenceAcquisition(count, 0, true);
    while (!done()) {
      if ((await core.getRemainingImageCount()) === 0) {
        const waitedFrom = Date.now();
        while ((await core.getRemainingImageCount()) === 0) {
          if (!(await core.isSequenceRunning()) && (await core.getRemainingImageCount()) === 0) {
            const got = Math.min(...next);
            if (await core.isBufferOverflowed()) {
              throw new Error(
                `the camera's circular buffer overflowed after ${got} of ${count} frames and the camera stopped: frames came faster than they were read (enlarge it with setCircularBufferMemoryFootprint, or slow the camera)`,
              );
            }
            if (next.every((n) => n === 0)) throw new Error(`camera sequence stopped after 0 of ${count} frames`);
            for (const [camera, n] of next.entries())
              if (n < count) yield lost(camera, n, count, `the camera ended its sequence after frame ${n - 1} without delivering these`);
            return;
          }
          if (Date.now() - waitedFrom > timeoutMs) throw new Error(`no frame from the camera sequence in ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, Math.min(5, context.exposureMs / 2)));
        }
      }
      const tagged = await core.popNextTaggedImage();
      const camera = cameras.length > 1 ? cameras.indexOf(String(tagged.tags['Camera'])) : 0;
      if (camera < 0)
        throw new Error(`a sequence frame came from camera "${String(tagged.tags['Camera'])}", none of ${cameras.join(', ')}`);
      const expected = next[camera];
      const number = Number(tagged.tags['ImageNumber']);
      const placed = Number.isInteger(number) && number > expected && number < count ? number : expected;
      if (placed >= count) continue;
      if (placed > expected)
        yield lost(camera, expected, placed, `camera frame numbers jumped from ${expected - 1} to ${placed}: the camera lost these`);
      const elapsed = Number(tagged.tags['ElapsedTime-ms']);
      yield context.image(tagged, placed, Number.isFinite(elapsed) ? elapsed : undefined, camera);
      next[camera] = placed + 1;
    }
  } finally {
    if (await core.isSequenceRunning()) await core.stopSequenceAcquisition();
    if (focusSequence) await stopFocusSequence(core, focusSequence.focus);
  }
}
