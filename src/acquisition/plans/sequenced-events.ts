import type { MDAEvent } from './mda-event';

const sameHardwareState = (a: MDAEvent, b: MDAEvent): boolean =>
  a.channel?.config === b.channel?.config &&
  a.channel?.group === b.channel?.group &&
  a.exposureMs === b.exposureMs &&
  a.xPosUm === b.xPosUm &&
  a.yPosUm === b.yPosUm &&
  a.zPosUm === b.zPosUm &&
  a.posName === b.posName &&
  a.keepShutterOpen === b.keepShutterOpen;

/** Only the time index moves by one, and nothing waits in between (interval 0: "as fast as the camera goes"). */
function continuesBurst(previous: MDAEvent, next: MDAEvent): boolean {
  if (next.action.type !== 'acquire_image' || next.properties?.length || next.resetEventTimer) return false;
  if ((next.minStartTimeS ?? 0) > (previous.minStartTimeS ?? 0)) return false;
  const keys = new Set([...Object.keys(previous.index), ...Object.keys(next.index)]);
  for (const key of keys) {
    const step = (next.index[key] ?? 0) - (previous.index[key] ?? 0);
    if (key === 't' ? step !== 1 : step !== 0) return false;
  }
  return sameHardwareState(previous, next);
}

/**
 * Merges consecutive events that differ only by the next time point and have no wait between them into one event
 * with `burstCount`, which the engine runs as the camera's hardware-sequenced acquisition (as pymmcore-plus does
 * with hardware sequencing on). Lazy: looks one event ahead.
 */
export function* sequenceEvents(events: Iterable<MDAEvent>, maxBurst = 10_000): Generator<MDAEvent, void, undefined> {
  let head: MDAEvent | undefined;
  let last: MDAEvent | undefined;
  let count = 0;
  for (const event of events) {
    if (
      head &&
      last &&
      count < maxBurst &&
      head.action.type === 'acquire_image' &&
      !head.properties?.length &&
      continuesBurst(last, event)
    ) {
      last = event;
      count++;
      continue;
    }
    if (head) yield count > 1 ? { ...head, burstCount: count } : head;
    head = last = event;
    count = 1;
  }
  if (head) yield count > 1 ? { ...head, burstCount: count } : head;
}
