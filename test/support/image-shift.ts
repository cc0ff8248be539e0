/** A grey image as the page's canvas holds it (one channel of its RGBA pixels). */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly grey: readonly number[];
}

/**
 * The shift (dx, dy) that best maps `before` onto `after` (after(x, y) ≈ before(x + dx, y + dy)), by normalised
 * cross-correlation over the overlap: insensitive to the per-frame contrast stretch and to noise.
 */
export function bestShift(before: GreyImage, after: GreyImage, maxShiftPx: number): { dx: number; dy: number; correlation: number } {
  let best = { dx: 0, dy: 0, correlation: -Infinity };
  const { width, height } = before;
  for (let dy = -maxShiftPx; dy <= maxShiftPx; dy++) {
    for (let dx = -maxShiftPx; dx <= maxShiftPx; dx++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let y = Math.max(0, -dy); y < Math.min(height, height - dy); y++) {
        for (let x = Math.max(0, -dx); x < Math.min(width, width - dx); x++) {
          a.push(after.grey[y * width + x]);
          b.push(before.grey[(y + dy) * width + x + dx]);
        }
      }
      const correlation = pearson(a, b);
      if (correlation > best.correlation) best = { dx, dy, correlation };
    }
  }
  return best;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const meanA = a.reduce((s, v) => s + v, 0) / n;
  const meanB = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - meanA) * (b[i] - meanB);
    aa += (a[i] - meanA) ** 2;
    bb += (b[i] - meanB) ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
