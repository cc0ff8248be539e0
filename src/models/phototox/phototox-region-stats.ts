/**
 * The per-region statistics the phototoxicity features are made of (mean signal per unit light, foreground
 * fraction, texture, and the change between two frames), computed as the features were trained on: each pixel's
 * value (p − background) × perDose as float32, summed in raster order. Fast enough for a 2048² field every
 * decision: a camera frame's values come from a table by pixel value, the statistics of a frame's regions are
 * remembered with the frame (its first and previous frames are read once per region, not once per decision),
 * and the foreground count is an integer threshold on the pixels.
 */
import type { ObservedFrame, Region } from './phototox-features';

export interface RegionStats {
  readonly meanSignal: number;
  readonly foreground: number;
  readonly texture: number;
}

export interface Photometry {
  readonly backgroundAdu: number;
  readonly perDose: number;
}

/** A frame with what reading its regions needs, made once per field (`frameReader`). */
export interface FrameReader {
  readonly frame: ObservedFrame;
  readonly photometry: Photometry;
  /** Values by pixel value, for 8- and 16-bit frames; the values grow with the pixel when the light was > 0. */
  readonly table: Float32Array | undefined;
  readonly increasing: boolean;
  /** This frame's region statistics under this photometry, by region key. */
  readonly memo: Map<number, RegionStats>;
}

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

const rememberedStats = new WeakMap<object, Map<string, Map<number, RegionStats>>>();
/** Value tables of the last few frames read (256 kB each for 16-bit): a field needs its newest, previous and first. */
const recentTables: Array<{ pixels: object; key: string; table: Float32Array }> = [];
const TABLES_KEPT = 4;
let scratch = new Float32Array(0);
/** [sum, texture, change] of the last region read. */
const kernelOut = new Float64Array(3);
let change = 0;

export function frameReader(frame: ObservedFrame, photometry: Photometry): FrameReader {
  const key = `${photometry.backgroundAdu}:${photometry.perDose}`;
  let byPhotometry = rememberedStats.get(frame.pixels);
  if (!byPhotometry) rememberedStats.set(frame.pixels, (byPhotometry = new Map()));
  let memo = byPhotometry.get(key);
  if (!memo) byPhotometry.set(key, (memo = new Map()));
  const increasing = photometry.perDose > 0 && Number.isFinite(photometry.perDose);
  return { frame, photometry, table: tableOf(frame.pixels, photometry, key), increasing, memo };
}

function tableOf(pixels: ArrayLike<number>, photometry: Photometry, key: string): Float32Array | undefined {
  if (!(pixels instanceof Uint16Array || pixels instanceof Uint8Array)) return undefined;
  const at = recentTables.findIndex((t) => t.pixels === pixels && t.key === key);
  if (at >= 0) {
    const [known] = recentTables.splice(at, 1);
    recentTables.push(known);
    return known.table;
  }
  const table = new Float32Array(pixels instanceof Uint16Array ? 65_536 : 256);
  for (let p = 0; p < table.length; p++) table[p] = (p - photometry.backgroundAdu) * photometry.perDose;
  recentTables.push({ pixels, key, table });
  if (recentTables.length > TABLES_KEPT) recentTables.shift();
  return table;
}

/** The region clipped to the frame, as pixel bounds. */
function bounds(frame: ObservedFrame, region: Region): Box {
  const x0 = Math.max(0, Math.min(frame.widthPx - 1, region.x0Px));
  const y0 = Math.max(0, Math.min(frame.heightPx - 1, region.y0Px));
  return { x0, y0, x1: Math.min(frame.widthPx, x0 + region.sizePx), y1: Math.min(frame.heightPx, y0 + region.sizePx) };
}

/** How many pixels of the region clipped to the frame. */
export function regionPixels(frame: ObservedFrame, region: Region): number {
  const { x0, y0, x1, y1 } = bounds(frame, region);
  return (x1 - x0) * (y1 - y0);
}

/** Σ |frame − other| of the region read by the last `regionStats` given an `other` (0 without one). */
export function lastChange(): number {
  return change;
}

/**
 * The region's statistics of a frame, remembered; with `other` given, also Σ |frame − other| of their values
 * (the stillness feature, `lastChange`), in the same pass over the pixels.
 */
export function regionStats(reader: FrameReader, region: Region, other?: FrameReader): RegionStats {
  const { frame } = reader;
  const key = (region.sizePx * (frame.heightPx + 1) + region.y0Px) * (frame.widthPx + 1) + region.x0Px;
  const hit = reader.memo.get(key);
  change = 0;
  if (hit && !other) return hit;
  const box = bounds(frame, region);
  const n = (box.x1 - box.x0) * (box.y1 - box.y0);
  const byTables = reader.table !== undefined && (!other || other.table !== undefined);
  if (byTables) readByTables(reader, box, other);
  else readByValues(reader, box, other, n);
  const [sum, texture] = kernelOut;
  change = kernelOut[2];
  if (hit) return hit;
  const meanSignal = sum / n;
  const half = meanSignal * 0.5;
  let foreground = 0;
  if (byTables) foreground = countAbove(reader, box, half);
  else for (let i = 0; i < n; i++) foreground += scratch[i] > half ? 1 : 0;
  const stats = { meanSignal, foreground: foreground / n, texture: texture / n };
  reader.memo.set(key, stats);
  return stats;
}

/** Any frame: each value computed, kept in `scratch` for the foreground count. */
function readByValues(reader: FrameReader, box: Box, other: FrameReader | undefined, n: number): void {
  if (scratch.length < n) scratch = new Float32Array(n);
  const values = scratch;
  const { x0, y0, x1, y1 } = box;
  const { pixels, widthPx } = reader.frame;
  const { backgroundAdu, perDose } = reader.photometry;
  let k = 0;
  let sum = 0;
  let texture = 0;
  let difference = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const v = Math.fround((pixels[y * widthPx + x] - backgroundAdu) * perDose);
      values[k++] = v;
      sum += v;
      if (x > x0) texture += Math.abs(v - values[k - 2]);
      if (other) {
        const o = other.frame.pixels[y * other.frame.widthPx + x];
        difference += Math.abs(v - Math.fround((o - other.photometry.backgroundAdu) * other.photometry.perDose));
      }
    }
  }
  kernelOut[0] = sum;
  kernelOut[1] = texture;
  kernelOut[2] = difference;
}

/** Camera frames: each value is one lookup in the frame's table; nothing is stored. */
function readByTables(reader: FrameReader, box: Box, other: FrameReader | undefined): void {
  const { x0, y0, x1, y1 } = box;
  const w = x1 - x0;
  const pixels = reader.frame.pixels as Uint16Array;
  const table = reader.table!;
  const widthPx = reader.frame.widthPx;
  let sum = 0;
  let texture = 0;
  let difference = 0;
  if (other) {
    const otherPixels = other.frame.pixels as Uint16Array;
    const otherTable = other.table!;
    const otherWidthPx = other.frame.widthPx;
    for (let y = y0; y < y1; y++) {
      // frames of one run share their size; j follows the other frame's own rows all the same
      const i = y * widthPx + x0;
      const j = y * otherWidthPx + x0;
      let previous = table[pixels[i]];
      sum += previous;
      difference += Math.abs(previous - otherTable[otherPixels[j]]);
      for (let end = i + w, i1 = i + 1, j1 = j + 1; i1 < end; i1++, j1++) {
        const v = table[pixels[i1]];
        sum += v;
        texture += Math.abs(v - previous);
        difference += Math.abs(v - otherTable[otherPixels[j1]]);
        previous = v;
      }
    }
  } else {
    for (let y = y0; y < y1; y++) {
      const i = y * widthPx + x0;
      let previous = table[pixels[i]];
      sum += previous;
      for (let i1 = i + 1, end = i + w; i1 < end; i1++) {
        const v = table[pixels[i1]];
        sum += v;
        texture += Math.abs(v - previous);
        previous = v;
      }
    }
  }
  kernelOut[0] = sum;
  kernelOut[1] = texture;
  kernelOut[2] = difference;
}

/**
 * How many of the region's values exceed `threshold`. With light the table grows with the pixel value, so that
 * is how many pixels reach the first value above it: integer compares, no lookups.
 */
function countAbove(reader: FrameReader, box: Box, threshold: number): number {
  const table = reader.table!;
  const pixels = reader.frame.pixels as Uint16Array;
  const widthPx = reader.frame.widthPx;
  const { x0, y0, x1, y1 } = box;
  let count = 0;
  if (!reader.increasing) {
    for (let y = y0; y < y1; y++) for (let i = y * widthPx + x0, end = i + x1 - x0; i < end; i++) if (table[pixels[i]] > threshold) count++;
    return count;
  }
  let low = 0;
  let high = table.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (table[mid] > threshold) high = mid;
    else low = mid + 1;
  }
  // without a branch (pixels ≥ low ⇔ low − 1 − pixel < 0): foreground and background mix in no learnable order
  const below = low - 1;
  for (let y = y0; y < y1; y++) for (let i = y * widthPx + x0, end = i + x1 - x0; i < end; i++) count += (below - pixels[i]) >>> 31;
  return count;
}
