import type { EventIndex, MDAEvent, SequencedFrame } from './mda-event';

export interface SequencingOptions {
  /** Longest burst, frames. Default 10,000. */
  readonly maxBurst?: number;
  /** Set when the focus stage takes position sequences (isStageSequenceable): the most positions it holds. */
  readonly zSequenceMaxLength?: number;
}

const sameHardwareState = (a: MDAEvent, b: MDAEvent, zMayChange: boolean): boolean =>
  a.channel?.config === b.channel?.config &&
  a.channel?.group === b.channel?.group &&
  a.exposureMs === b.exposureMs &&
  a.xPosUm === b.xPosUm &&
  a.yPosUm === b.yPosUm &&
  (zMayChange ? a.zPosUm !== undefined && b.zPosUm !== undefined : a.zPosUm === b.zPosUm) &&
  a.posName === b.posName &&
  a.keepShutterOpen === b.keepShutterOpen;

/**
 * Nothing waits between the two and only time moves on by one, or (when the focus is sequenced) only the z
 * slice changes, or both as a z-stack wraps into the next time point.
 */
function continuesBurst(previous: MDAEvent, next: MDAEvent, zSequenced: boolean): boolean {
  if (next.action.type !== 'acquire_image' || next.properties?.length || next.resetEventTimer) return false;
  if ((next.minStartTimeS ?? 0) > (previous.minStartTimeS ?? 0)) return false;
  const keys = new Set([...Object.keys(previous.index), ...Object.keys(next.index)]);
  const step = (key: string) => (next.index[key] ?? 0) - (previous.index[key] ?? 0);
  for (const key of keys) {
    if (key === 't' && step(key) !== 1 && !(zSequenced && step(key) === 0)) return false;
    if (key === 'z' && step(key) !== 0 && !zSequenced) return false;
    if (key !== 't' && key !== 'z' && step(key) !== 0) return false;
  }
  if (step('t') === 0 && step('z') === 0) return false;
  return sameHardwareState(previous, next, zSequenced);
}

function merged(group: readonly MDAEvent[]): MDAEvent {
  const head = group[0];
  if (group.length === 1) return head;
  if (group.every((event) => event.zPosUm === head.zPosUm)) return { ...head, burstCount: group.length };
  const sequencedFrames: SequencedFrame[] = group.map((event) => ({ index: event.index as EventIndex, zPosUm: event.zPosUm! }));
  return { ...head, burstCount: group.length, sequencedFrames };
}

/**
 * Merges consecutive events with no wait between them into one event with `burstCount`, which the engine runs as
 * the camera's hardware-sequenced acquisition (as pymmcore-plus does with hardware sequencing on): time points,
 * and z slices too when the focus stage is sequenceable (then the event lists each frame's index and focus
 * position, which the engine loads into the stage). Lazy: holds one burst at most.
 */
export function* sequenceEvents(events: Iterable<MDAEvent>, options: SequencingOptions = {}): Generator<MDAEvent, void, undefined> {
  const maxBurst = options.maxBurst ?? 10_000;
  const zLimit = options.zSequenceMaxLength ?? 0;
  let group: MDAEvent[] = [];
  let zChanges = false;
  for (const event of events) {
    const head = group[0];
    const last = group[group.length - 1];
    if (head && head.action.type === 'acquire_image' && !head.properties?.length && group.length < maxBurst) {
      if (continuesBurst(last, event, false) && !zChanges) {
        group.push(event);
        continue;
      }
      if (zLimit > 0 && group.length < zLimit && continuesBurst(last, event, true)) {
        group.push(event);
        zChanges = true;
        continue;
      }
    }
    if (head) yield merged(group);
    group = [event];
    zChanges = false;
  }
  if (group.length) yield merged(group);
}
