/**
 * Flags a mitosis from two frames: a dividing cell stops, rounds up and condenses, so a spot grows much brighter
 * per unit of light than anything nearby was in an earlier frame. The earlier frame is dilated first (a maximum
 * over a neighbourhood) so cells that merely crawled do not count. Linear in the pixels (no sorts), and a frame's
 * blocks are kept with it, so the earlier frame of a comparison costs nothing the second time.
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
  /** Brightening (now / before, per unit light) that counts as a mitosis. */
  readonly ratio: number;
  readonly neighbourhoodPx: number;
  readonly blockPx: number;
}

export const DEFAULT_MITOSIS_DETECTOR: MitosisDetectorOptions = { ratio: 1.5, neighbourhoodPx: 2, blockPx: 4 };

/** Block means of the background-subtracted frame per unit light (block-averaging also tames the noise). */
function blocks(frame: PhotometricFrame, blockPx: number): { values: Float32Array; w: number; h: number } {
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

const rememberedBlocks = new WeakMap<object, { key: string; blocks: { values: Float32Array; w: number; h: number } }>();

/** The largest brightening ratio in the frame over bright blocks, and whether it counts as a mitosis. */
export function detectMitosis(
  before: PhotometricFrame,
  now: PhotometricFrame,
  options: MitosisDetectorOptions = DEFAULT_MITOSIS_DETECTOR,
): { detected: boolean; ratio: number } {
  if (!(before.doseUnits > 0 && now.doseUnits > 0)) return { detected: false, ratio: NaN };
  const a = blocks(before, options.blockPx);
  const b = blocks(now, options.blockPx);
  const brightFloor = pixelQuantile(b.values, 0.9);
  const r = options.neighbourhoodPx;
  let best = 0;
  for (let y = 0; y < b.h; y++) {
    for (let x = 0; x < b.w; x++) {
      const value = b.values[y * b.w + x];
      if (value < brightFloor || value <= 0) continue;
      let around = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && xx >= 0 && yy < a.h && xx < a.w) around = Math.max(around, a.values[yy * a.w + xx]);
        }
      }
      best = Math.max(best, value / Math.max(around, brightFloor * 0.25));
    }
  }
  return { detected: best >= options.ratio, ratio: best };
}
