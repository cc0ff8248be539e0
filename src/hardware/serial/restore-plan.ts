import type { LineCommand } from './line-command';
import { PE4000_CHANNEL_LETTERS, pe4000, type Pe4000ChannelStatus } from './pe4000-protocol';

/** What the driver last had the device do: restored after the device comes back. */
export interface Pe4000Snapshot {
  readonly statuses: readonly Pe4000ChannelStatus[];
  readonly wavelengthsNm: readonly number[];
}

export function sameSnapshot(a: Pe4000Snapshot, b: Pe4000Snapshot): boolean {
  return (
    a.wavelengthsNm.every((nm, i) => nm === b.wavelengthsNm[i]) &&
    a.statuses.every((s, i) => {
      const t = b.statuses[i];
      return t !== undefined && s.selected === t.selected && s.on === t.on && s.intensityPercent === t.intensityPercent;
    })
  );
}

/** A copy of `snapshot` in which nothing emits more than in `limit` (per channel: off wins, lower intensity wins). */
export function neverBrighterThan(snapshot: Pe4000Snapshot, limit: Pe4000Snapshot): Pe4000Snapshot {
  return {
    wavelengthsNm: snapshot.wavelengthsNm,
    statuses: snapshot.statuses.map((s, i) => {
      const l = limit.statuses[i];
      return {
        ...s,
        on: s.on && l.on,
        intensityPercent: Math.min(s.intensityPercent, l.intensityPercent),
      };
    }),
  };
}

/**
 * Commands that bring a device in state `found` to `target` without ever emitting more than `target` on the way:
 * everything off first, wavelengths loaded while dark, then one CSS line sets selection, on/off and intensity of all
 * four channels at once. Empty when the device already is in the target state (a cable glitch, not a power cycle).
 */
export function restorePlan(found: Pe4000Snapshot, target: Pe4000Snapshot): LineCommand<unknown>[] {
  if (sameSnapshot(found, target)) return [];
  const plan: LineCommand<unknown>[] = [pe4000.allOff()];
  target.wavelengthsNm.forEach((nm, i) => {
    if (found.wavelengthsNm[i] !== nm) plan.push(pe4000.loadWavelength(i, nm));
  });
  plan.push(
    pe4000.setChannels(
      target.statuses.map((s, i) => ({
        letter: PE4000_CHANNEL_LETTERS[i],
        selected: s.selected,
        on: s.on,
        intensityPercent: s.intensityPercent,
      })),
    ),
  );
  return plan;
}
