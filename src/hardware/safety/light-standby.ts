import type { LightChannel } from '../devices';
import type { SafeLightSource } from './safe-light-source';

interface Remembered {
  readonly lit: readonly LightChannel[];
  /** The source's change count right after standing by: any later command makes the memory stale. */
  readonly atChange: number;
}

const remembered = new WeakMap<SafeLightSource, Remembered>();

/**
 * Turns the light off after an acquisition, remembering which channels were lit and how brightly, so the next
 * acquisition lights the sample as the user had set it rather than running dark.
 */
export async function standBy(source: SafeLightSource, origin: string): Promise<void> {
  const lit = (await source.getChannels()).filter((channel) => channel.on);
  await source.allOff(origin);
  if (lit.length) remembered.set(source, { lit, atChange: source.changeCount });
}

/**
 * Relights what `standBy` turned off, through the envelope (its limits and dose budget apply as to any command),
 * unless someone set the light since: their setting stands, whatever it is. Returns the channels relit.
 */
export async function resumeFromStandby(source: SafeLightSource, origin: string): Promise<readonly number[]> {
  const memory = remembered.get(source);
  remembered.delete(source);
  if (!memory || memory.atChange !== source.changeCount) return [];
  for (const channel of memory.lit) {
    await source.setPowerPercent(channel.index, channel.powerPercent, origin);
    await source.setChannelOn(channel.index, true, origin);
  }
  return memory.lit.map((channel) => channel.index);
}
