/**
 * Flags a mitosis from two frames: a dividing cell stops, rounds up and condenses, so a spot grows much brighter
 * per unit of light than anything nearby was in an earlier frame. The earlier frame is dilated first (a maximum
 * over a neighbourhood) so cells that merely crawled do not count.
 */

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
  const w = Math.floor(frame.widthPx / blockPx);
  const h = Math.floor(frame.heightPx / blockPx);
  const sorted = Float32Array.from({ length: frame.widthPx * frame.heightPx }, (_, i) => frame.pixels[i]).sort();
  const background = sorted[Math.floor(sorted.length * 0.05)];
  const values = new Float32Array(w * h);
  const scale = 1 / (blockPx * blockPx * Math.max(frame.doseUnits, 1e-9));
  for (let y = 0; y < h * blockPx; y++) {
    for (let x = 0; x < w * blockPx; x++)
      values[Math.floor(y / blockPx) * w + Math.floor(x / blockPx)] += (frame.pixels[y * frame.widthPx + x] - background) * scale;
  }
  return { values, w, h };
}

/** The largest brightening ratio in the frame over bright blocks, and whether it counts as a mitosis. */
export function detectMitosis(
  before: PhotometricFrame,
  now: PhotometricFrame,
  options: MitosisDetectorOptions = DEFAULT_MITOSIS_DETECTOR,
): { detected: boolean; ratio: number } {
  if (!(before.doseUnits > 0 && now.doseUnits > 0)) return { detected: false, ratio: NaN };
  const a = blocks(before, options.blockPx);
  const b = blocks(now, options.blockPx);
  const sorted = Float32Array.from(b.values).sort();
  const brightFloor = sorted[Math.floor(sorted.length * 0.9)];
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
