/**
 * The k-th smallest values of a frame's pixels, exactly what `Float32Array.from(pixels).sort()[k]` gives, without
 * sorting: a counting pass for 8- and 16-bit frames (camera frames), a selection for anything else. A frame's
 * answers are remembered (frames are immutable values), so the SNR estimate, the photometry of the phototoxicity
 * features and the mitosis detector read one histogram of each frame between them.
 */

type Pixels = ArrayLike<number>;

const remembered = new WeakMap<object, Map<string, number>>();

/** The values at ranks `ranks` (0-based, each below `count`) among the first `count` pixels. */
export function pixelsAtRanks(pixels: Pixels, count: number, ranks: readonly number[]): number[] {
  let cache = remembered.get(pixels);
  if (!cache) remembered.set(pixels, (cache = new Map<string, number>()));
  const key = (rank: number) => `${count}:${rank}`;
  const missing = [...new Set(ranks.filter((rank) => !cache.has(key(rank))))].sort((a, b) => a - b);
  if (missing.length > 0) {
    const found = isSmallIntegerArray(pixels) ? ranksByCounting(pixels, count, missing) : ranksBySelection(pixels, count, missing);
    missing.forEach((rank, i) => cache.set(key(rank), found[i]));
  }
  return ranks.map((rank) => cache.get(key(rank))!);
}

/** Remembers values at ranks found elsewhere (a pass that counted the frame's pixels anyway: `frameBlocks`). */
export function rememberRanks(pixels: Pixels, count: number, ranks: readonly number[], values: readonly number[]): void {
  let cache = remembered.get(pixels);
  if (!cache) remembered.set(pixels, (cache = new Map<string, number>()));
  ranks.forEach((rank, i) => cache.set(`${count}:${rank}`, values[i]));
}

/** The value at fraction `q` of the sorted pixels (index ⌊n·q⌋), as `sorted[Math.floor(n * q)]`. */
export function pixelQuantile(pixels: Pixels, q: number, count = pixels.length): number {
  return pixelsAtRanks(pixels, count, [Math.floor(count * q)])[0];
}

function isSmallIntegerArray(pixels: Pixels): pixels is Uint8Array | Uint16Array | Uint8ClampedArray {
  return pixels instanceof Uint16Array || pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray;
}

/** One pass into a histogram of the (at most 65,536) possible values, then a walk up to each rank. */
function ranksByCounting(pixels: Uint8Array | Uint16Array | Uint8ClampedArray, count: number, ranks: readonly number[]): number[] {
  const histogram = new Uint32Array(pixels instanceof Uint16Array ? 65_536 : 256);
  const n = Math.min(count, pixels.length);
  for (let i = 0; i < n; i++) histogram[pixels[i]]++;
  return ranksOfHistogram(histogram, ranks);
}

/** The values at `ranks` (ascending) of a histogram of non-negative integers. */
export function ranksOfHistogram(histogram: Uint32Array, ranks: readonly number[]): number[] {
  const out: number[] = [];
  let below = 0;
  let value = 0;
  for (const rank of ranks) {
    while (value < histogram.length && below + histogram[value] <= rank) below += histogram[value++];
    out.push(value < histogram.length ? value : NaN);
  }
  return out;
}

/** Float32 values (as the sort would compare them) by selection. */
function ranksBySelection(pixels: Pixels, count: number, ranks: readonly number[]): number[] {
  const n = Math.min(count, pixels.length);
  const values = new Float32Array(n);
  // NaN and -0 are where selection and the sort's order could differ: those frames are sorted
  let special = false;
  for (let i = 0; i < n; i++) {
    values[i] = pixels[i];
    const v = values[i];
    if (v !== v || (v === 0 && 1 / v < 0)) special = true;
  }
  if (special) {
    values.sort();
    return ranks.map((rank) => values[rank]);
  }
  // ranks ascending: each selection leaves everything left of it smaller, so the next one starts there
  let low = 0;
  return ranks.map((rank) => {
    if (rank >= n) return NaN;
    selectRank(values, rank, low, n - 1);
    low = rank;
    return values[rank];
  });
}

/** Rearranges values[low..high] so that values[k] is the one a sort would put there (Hoare's quickselect). */
export function selectRank(values: Float32Array, k: number, low = 0, high = values.length - 1): void {
  let lo = low;
  let hi = high;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot: sorted or constant frames stay linear
    const a = values[lo];
    const b = values[mid];
    const c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
