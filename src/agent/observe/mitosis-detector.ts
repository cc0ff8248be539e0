/**
 * Flags a mitosis from two frames by its division: a dividing cell rounds up, small and dim (it loses its spread
 * and its filaments), then splits into two daughters at full size, so a few cells' worth of light appears where
 * the mother was. A cell that only crawls moves its light but adds none to a window a few cells wide, and the
 * light a window gains is counted in cells (the light of the frame's brightest cell-sized windows), so neither
 * the light level nor how crowded the field is changes the score. Each such place is a spot, with where it is, so
 * a tracker (mitosis-events.ts) can tell one mitosis from two. Why the division and not the rounding: in the
 * photodamage dish the rounding's loss of light is no larger than what crawling moves in and out of a window
 * (scripts/evaluate-mitosis-detector.ts measured it on the tuning seeds; models/mitosis-detector/metrics.json).
 * Linear in the pixels (block sums and integral images, no sorts), and a frame's blocks are kept with it, so the
 * earlier frame of a comparison costs nothing the second time.
 */
import { frameBlocks } from '../../models/stats/frame-blocks';
import { pixelQuantile } from '../../models/stats/order-statistics';

export interface PhotometricFrame {
  readonly pixels: ArrayLike<number>;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Illumination dose of the frame, %·s (power × exposure): pixel values are divided by it. */
  readonly doseUnits: number;
}

export interface MitosisDetectorOptions {
  /** Score (1 + cells' worth of light gained in a large window, per unit light) that counts as a mitosis. */
  readonly ratio: number;
  /** Radius of the large windows that score a place, pixels (a few cells across). */
  readonly neighbourhoodPx: number;
  /** Radius of the small windows whose light is a cell's and whose gains find places, pixels (about a cell). */
  readonly cellRadiusPx: number;
  /** A place is a local maximum of the small windows' gain (1 + cells' worth of light gained) of at least this. */
  readonly spotGain: number;
  readonly blockPx: number;
  /** Places scoring below this are not reported (the tracker's lower threshold needs no weaker ones). */
  readonly spotRatio: number;
  /** A cell's light: this quantile of the small windows' light in the later frame. */
  readonly cellQuantile: number;
  /** Places this close to the frame's edge are left out: there, cells crawl in from outside the field. */
  readonly borderPx: number;
  /** 'gain': light that appeared (a division's daughters); 'loss': light lost in place (a cell rounding up). */
  readonly direction: 'gain' | 'loss';
}

/** Chosen on the tuning seeds by scripts/evaluate-mitosis-detector.ts: models/mitosis-detector/detector.json (a spec keeps them equal). */
export const DEFAULT_MITOSIS_DETECTOR: MitosisDetectorOptions = {
  ratio: 1.5,
  neighbourhoodPx: 24,
  cellRadiusPx: 8,
  spotGain: 1.2,
  blockPx: 4,
  spotRatio: 1.1,
  cellQuantile: 0.95,
  borderPx: 4,
  direction: 'gain',
};

/** A local maximum of the brightening: where (the block's centre, pixels) and how much. */
export interface MitosisSpot {
  readonly xPx: number;
  readonly yPx: number;
  readonly ratio: number;
}

export interface MitosisDetection {
  /** Whether the strongest spot reaches `options.ratio`. */
  readonly detected: boolean;
  /** The strongest brightening in the frame (NaN without light). */
  readonly ratio: number;
  /** Local maxima of at least `options.spotRatio`, strongest first. */
  readonly spots: readonly MitosisSpot[];
}

interface Blocks {
  readonly values: Float32Array;
  readonly w: number;
  readonly h: number;
}

/** Block means of the background-subtracted frame per unit light (block-averaging also tames the noise). */
function blocks(frame: PhotometricFrame, blockPx: number): Blocks {
  const key = `${blockPx}:${frame.doseUnits}:${frame.widthPx}x${frame.heightPx}`;
  const known = rememberedBlocks.get(frame.pixels);
  if (known?.key === key) return known.blocks;
  const w = Math.floor(frame.widthPx / blockPx);
  const h = Math.floor(frame.heightPx / blockPx);
  const background = pixelQuantile(frame.pixels, 0.05, frame.widthPx * frame.heightPx);
  const { sums } = frameBlocks(frame.pixels, frame.widthPx, frame.heightPx, blockPx);
  const area = blockPx * blockPx;
  const scale = 1 / (area * Math.max(frame.doseUnits, 1e-9));
  const values = new Float32Array(w * h);
  for (let i = 0; i < values.length; i++) values[i] = (sums[i] - background * area) * scale;
  const result = { values, w, h };
  // the earlier frame of the next comparison is often this one: its blocks are read once
  rememberedBlocks.set(frame.pixels, { key, blocks: result });
  return result;
}

const rememberedBlocks = new WeakMap<object, { key: string; blocks: Blocks }>();

/** Sums of `values` over the (2r+1)² blocks around each block (clipped at the edges), by an integral image. */
function windowSums(b: Blocks, r: number): Float64Array {
  const { w, h } = b;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += b.values[y * w + x];
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
    }
  }
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      out[y * w + x] =
        integral[y1 * (w + 1) + x1] - integral[y0 * (w + 1) + x1] - integral[y1 * (w + 1) + x0] + integral[y0 * (w + 1) + x0];
    }
  }
  return out;
}

/**
 * Where a neighbourhood gained light between the two frames, per unit light: a dividing cell's two daughters spread
 * out at full size where the rounded mother was small and dim. Places are found by the gain in small windows (a
 * cell's size: where it happened), and scored by the gain in large ones (a few cells' size), which a cell that only
 * crawled does not change much: its light moved, it did not appear.
 */
export function detectMitosis(
  before: PhotometricFrame,
  now: PhotometricFrame,
  options: MitosisDetectorOptions = DEFAULT_MITOSIS_DETECTOR,
): MitosisDetection {
  if (!(before.doseUnits > 0 && now.doseUnits > 0)) return { detected: false, ratio: NaN, spots: [] };
  const a = blocks(before, options.blockPx);
  const b = blocks(now, options.blockPx);
  if (a.w !== b.w || a.h !== b.h) return { detected: false, ratio: NaN, spots: [] };
  const small = Math.max(1, Math.round(options.cellRadiusPx / options.blockPx));
  const large = Math.max(small, Math.round(options.neighbourhoodPx / options.blockPx));
  // the change of each block; its median (a background block's) is taken off: the background of a frame is read
  // from a low quantile, which sits lower the noisier the frame, and a large window would add that up to a cell
  const blockChange = new Float32Array(b.values.length);
  for (let i = 0; i < blockChange.length; i++) blockChange[i] = b.values[i] - a.values[i];
  const offset = pixelQuantile(blockChange, 0.5);
  for (let i = 0; i < blockChange.length; i++) blockChange[i] -= offset;
  const delta: Blocks = { values: blockChange, w: b.w, h: b.h };
  const cell = cellLight(windowSums(b, small), options.cellQuantile);
  const sign = options.direction === 'loss' ? -1 : 1;
  const smallGain = windowSums(delta, small);
  const largeGain = windowSums(delta, large);
  for (let i = 0; i < smallGain.length; i++) {
    smallGain[i] = 1 + (sign * smallGain[i]) / cell;
    largeGain[i] = 1 + (sign * largeGain[i]) / cell;
  }
  // places where a cell's worth of light appeared, scored by what the large window around them gained
  const candidates: MitosisSpot[] = [];
  let best = 0;
  const edge = Math.ceil(options.borderPx / options.blockPx);
  for (let y = edge; y < b.h - edge; y++) {
    for (let x = edge; x < b.w - edge; x++) {
      const i = y * b.w + x;
      if (smallGain[i] < options.spotGain || !isLocalMaximum(smallGain, b.w, b.h, x, y, small)) continue;
      best = Math.max(best, largeGain[i]);
      if (largeGain[i] >= options.spotRatio)
        candidates.push({ xPx: (x + 0.5) * options.blockPx, yPx: (y + 0.5) * options.blockPx, ratio: largeGain[i] });
    }
  }
  return { detected: best >= options.ratio, ratio: best, spots: mergeSpots(candidates, 1.5 * large * options.blockPx) };
}

/**
 * Places closer than `reachPx` (either axis) to a stronger one join it: the two daughters of a division are one
 * spot, at the middle of them (where the mother was), with the stronger score.
 */
function mergeSpots(candidates: MitosisSpot[], reachPx: number): MitosisSpot[] {
  candidates.sort((p, q) => q.ratio - p.ratio);
  const groups: Array<{ best: MitosisSpot; x: number; y: number; n: number }> = [];
  for (const c of candidates) {
    const group = groups.find((g) => Math.abs(g.best.xPx - c.xPx) <= reachPx && Math.abs(g.best.yPx - c.yPx) <= reachPx);
    if (!group) groups.push({ best: c, x: c.xPx, y: c.yPx, n: 1 });
    else Object.assign(group, { x: group.x + c.xPx, y: group.y + c.yPx, n: group.n + 1 });
  }
  return groups.map((g) => ({ xPx: g.x / g.n, yPx: g.y / g.n, ratio: g.best.ratio }));
}

/**
 * A cell's light, the unit of a gain: the brightest small windows of the frame (a quantile), and at least half the
 * brightest one, so a field of few cells does not take the background for a cell.
 */
function cellLight(smallWindows: Float64Array, cellQuantile: number): number {
  let brightest = 0;
  for (const v of smallWindows) brightest = Math.max(brightest, v);
  return Math.max(pixelQuantile(smallWindows, cellQuantile), 0.5 * brightest, 1e-9);
}

/** Whether no block within `r` has a larger ratio (ties go to the first in raster order). */
function isLocalMaximum(ratios: ArrayLike<number>, w: number, h: number, x: number, y: number, r: number): boolean {
  const value = ratios[y * w + x];
  for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
    for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
      const other = ratios[yy * w + xx];
      if (other > value || (other === value && yy * w + xx < y * w + x)) return false;
    }
  }
  return true;
}
