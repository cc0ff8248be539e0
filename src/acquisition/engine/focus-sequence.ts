import type { MicroscopeCore } from '../../hardware/micro-manager';
import type { MDAEvent } from '../plans';

type SequencedCore = Pick<MicroscopeCore, 'loadStageSequence' | 'startStageSequence' | 'stopStageSequence'>;

/** The burst's n-th frame: its index and planned focus (time points on from the event's unless the frames are listed). */
export function burstFrame(event: MDAEvent, frameInBurst: number): { readonly index: MDAEvent['index']; readonly zPosUm?: number } {
  const listed = event.sequencedFrames?.[frameInBurst];
  if (listed) return listed;
  return {
    index: frameInBurst > 0 ? { ...event.index, t: (event.index.t ?? 0) + frameInBurst } : event.index,
    zPosUm: event.zPosUm,
  };
}

/** The shortest prefix that repeats through the whole list: a z-stack over many time points loads one stack. */
export function repeatingPrefix(values: readonly number[]): readonly number[] {
  for (let period = 1; period < values.length; period++) {
    if (values.length % period === 0 && values.every((v, i) => v === values[i % period])) return values.slice(0, period);
  }
  return values;
}

/**
 * Loads the focus positions of a stage-sequenced burst and starts the stage sequence, so the stage steps on each
 * camera trigger; the camera sequence starts after this. Positions are the plan's plus the autofocus correction.
 */
export async function startFocusSequence(core: SequencedCore, focus: string, positionsUm: readonly number[]): Promise<void> {
  await core.loadStageSequence(focus, repeatingPrefix(positionsUm));
  await core.startStageSequence(focus);
}

export async function stopFocusSequence(core: SequencedCore, focus: string): Promise<void> {
  await core.stopStageSequence(focus);
}
