/** Faults the emulator can inject, as a real device and its USB cable produce them. */

export type GarbleMode =
  /** Some characters of the reply replaced by noise; the line still ends. */
  | 'corrupt'
  /** Only the first part of the reply, no line end (the rest is lost). */
  | 'partial'
  /** A line of noise before the real reply. */
  | 'noise';

export interface FaultSettings {
  /** Wait before answering each command, ms. */
  readonly replyDelayMs: number;
  /** Read commands but neither act on them nor answer (a hung controller). */
  readonly silent: boolean;
  /** Probability (0–1) that a reply is garbled, using `garbleMode`. */
  readonly garbleRate: number;
  readonly garbleMode: GarbleMode;
  /** Repeat each command line before its reply, as a terminal would. */
  readonly echo: boolean;
}

export const NO_FAULTS: FaultSettings = { replyDelayMs: 0, silent: false, garbleRate: 0, garbleMode: 'corrupt', echo: false };

/** A small seeded generator so a garble run can be reproduced. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

/** The bytes that go on the wire for `lines` when the reply is garbled in `mode`. */
export function garble(lines: readonly string[], mode: GarbleMode, random: () => number): string {
  const text = lines.join('\r\n');
  switch (mode) {
    case 'partial':
      return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    case 'noise':
      return `#\x07~${Math.floor(random() * 1e6)}%\r\n${text}\r\n`;
    case 'corrupt': {
      const chars = [...text];
      const hits = Math.max(1, Math.floor(chars.length / 6));
      for (let i = 0; i < hits; i++) {
        const at = Math.floor(random() * chars.length);
        if (chars[at] !== '\r' && chars[at] !== '\n') chars[at] = '#%&*@!'[Math.floor(random() * 6)];
      }
      return `${chars.join('')}\r\n`;
    }
  }
}
