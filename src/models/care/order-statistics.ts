/**
 * Exact order statistics (the k-th smallest value, 0-based ranks) of a frame without sorting or copying it:
 * counting for camera integers, and for float32 a two-level radix count on the bit pattern (ordered like the
 * values once the sign is folded), 16 bits per level. Two passes over a float frame, one over an integer frame.
 */

const LEVEL_BINS = 1 << 16;

/** The NaN met first, as its pixel index; the fast path only knows that the count of NaN patterns is not zero. */
export class NotANumberError extends Error {
  override readonly name = 'NotANumberError';
  constructor(readonly pixel: number) {
    super(`frame has a NaN at pixel ${pixel}`);
  }
}

/** Smallest index whose running count exceeds `rank`, and the count before it. */
function binOfRank(counts: Int32Array, rank: number, from = 0, before = 0): { bin: number; before: number } {
  let seen = before;
  for (let b = from; b < counts.length; b++) {
    if (seen + counts[b] > rank) return { bin: b, before: seen };
    seen += counts[b];
  }
  throw new RangeError(`rank ${rank} is beyond the ${seen} values counted`);
}

export function integerOrderStatistics(values: Uint8Array | Uint16Array, ranks: readonly number[]): number[] {
  const counts = new Int32Array(values instanceof Uint8Array ? 256 : LEVEL_BINS);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  return ranks.map((rank) => binOfRank(counts, rank).bin);
}

/**
 * Float32 bit patterns turned into unsigned keys that sort as the values do: positive patterns get the sign bit
 * set, negative ones are inverted (so −0 sorts just below +0, and ±Infinity at the ends, beside the NaNs).
 */
const keyOf = (bits: number) => (bits ^ ((bits >> 31) | 0x80000000)) >>> 0;

const scratch = new Float32Array(1);
const scratchBits = new Int32Array(scratch.buffer);
function valueOfKey(key: number): number {
  scratchBits[0] = key & 0x80000000 ? key ^ 0x80000000 : ~key;
  return scratch[0];
}

function firstNaN(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return i;
  return -1;
}

/** High halves of the keys of +Infinity and −Infinity: their bins also hold NaNs with small mantissas. */
const POSITIVE_INFINITY_HIGH = keyOf(0x7f800000) >>> 16;
const NEGATIVE_INFINITY_HIGH = keyOf(0xff800000 | 0) >>> 16;

export function floatOrderStatistics(values: Float32Array, ranks: readonly number[]): number[] {
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  const high = new Int32Array(LEVEL_BINS);
  for (let i = 0; i < bits.length; i++) high[keyOf(bits[i]) >>> 16]++;
  let mayHoldNaN = high[POSITIVE_INFINITY_HIGH] + high[NEGATIVE_INFINITY_HIGH] > 0;
  for (let b = POSITIVE_INFINITY_HIGH + 1; b < LEVEL_BINS && !mayHoldNaN; b++) mayHoldNaN = high[b] > 0;
  for (let b = 0; b < NEGATIVE_INFINITY_HIGH && !mayHoldNaN; b++) mayHoldNaN = high[b] > 0;
  if (mayHoldNaN) {
    const at = firstNaN(values);
    if (at >= 0) throw new NotANumberError(at);
  }
  const highOf = ranks.map((rank) => binOfRank(high, rank));
  // a low-half histogram for each high bin that holds a wanted rank (at most one per rank)
  const slotOf = new Int32Array(LEVEL_BINS);
  const lows: Int32Array[] = [];
  for (const { bin } of highOf) if (!slotOf[bin]) slotOf[bin] = lows.push(new Int32Array(LEVEL_BINS));
  for (let i = 0; i < bits.length; i++) {
    const key = keyOf(bits[i]);
    const slot = slotOf[key >>> 16];
    if (slot) lows[slot - 1][key & 0xffff]++;
  }
  return ranks.map((rank, r) => {
    const { bin, before } = highOf[r];
    const low = binOfRank(lows[slotOf[bin] - 1], rank - before).bin;
    return valueOfKey(((bin << 16) | low) >>> 0);
  });
}
