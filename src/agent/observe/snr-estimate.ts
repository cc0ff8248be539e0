import { pixelsAtRanks, selectRank } from '../../models/stats/order-statistics';

/**
 * A frame's signal-to-noise ratio without a reference: signal is the spread between the bright structures (95th
 * percentile) and the background (5th), noise the robust standard deviation of the camera's noise in the brighter
 * half of the frame (where shot noise lives). The noise is read from each 2 × 2 cell's cross difference
 * (p₀₀ − p₀₁ − p₁₀ + p₁₁) / 2, which holds one pixel's noise and cancels gradients in x and y, so cell edges and
 * the illumination fall-off count far less as noise than in a neighbour difference: the estimate keeps rising
 * with the light instead of levelling off where structure outgrows shot noise. For camera frames the median of
 * the integer differences is interpolated within its histogram bin, so a low-light frame's noise is not rounded
 * to a whole count. Linear in the pixels: percentiles by counting for camera frames (no sort), a selection else.
 */
export function estimateSnr(pixels: ArrayLike<number>, widthPx: number, heightPx: number): number {
  const n = widthPx * heightPx;
  if (n < 16 || pixels.length < n || widthPx < 2 || heightPx < 2) return NaN;
  const [background, median, bright] = pixelsAtRanks(pixels, n, [Math.floor(n * 0.05), Math.floor(n * 0.5), Math.floor(n * 0.95)]);
  const medianDifference =
    pixels instanceof Uint16Array || pixels instanceof Uint8Array
      ? medianDifferenceCounted(pixels, widthPx, heightPx, median)
      : medianDifferenceSelected(pixels, widthPx, heightPx, median);
  if (!Number.isFinite(medianDifference)) return NaN;
  const noise = (medianDifference / 0.6745 / 2) * BRIGHT_HALF_NOISE_FACTOR;
  return noise > 0 ? (bright - background) / noise : NaN;
}

/**
 * The brighter half mixes pixels of very different shot noise; a median reads the typical one, below their
 * root-mean-square (the true noise of scripts/snr-check.ts). The median of true / robust noise on the photodamage
 * dish's tuning seeds over 1–100 % light (1.61; scripts/evaluate-mitosis-detector.ts reports it again); held-out
 * figures in models/snr-estimate/metrics.json.
 */
export const BRIGHT_HALF_NOISE_FACTOR = 1.6;

/** Cross differences of the 2 × 2 cells whose first pixel is at least the median, as |p₀₀ − p₀₁ − p₁₀ + p₁₁|. */
function medianDifferenceCounted(pixels: Uint16Array | Uint8Array, widthPx: number, heightPx: number, median: number): number {
  const last = pixels instanceof Uint16Array ? 65_535 : 1_023;
  const histogram = new Uint32Array(last + 1);
  let count = 0;
  for (let y = 0; y + 1 < heightPx; y += 2) {
    const row = y * widthPx;
    for (let i = row, end = row + widthPx - 1; i < end; i += 2) {
      const value = pixels[i];
      // without a branch: half the cells pass, in no order a predictor could learn (2× faster on a 2048² frame)
      const keep = ((value - median) >> 31) + 1;
      const d = value - pixels[i + 1] - pixels[i + widthPx] + pixels[i + widthPx + 1];
      const magnitude = (d ^ (d >> 31)) - (d >> 31);
      histogram[magnitude > last ? last : magnitude] += keep;
      count += keep;
    }
  }
  return count === 0 ? NaN : interpolatedMedian(histogram, count);
}

/**
 * The median of integer magnitudes as if they were rounded continuous ones: bin k ≥ 1 holds [k − ½, k + ½), bin 0
 * holds [0, ½), and the median is placed within its bin by the counts below it.
 */
function interpolatedMedian(histogram: Uint32Array, count: number): number {
  const half = count / 2;
  let below = 0;
  for (let k = 0; k < histogram.length; k++) {
    const here = histogram[k];
    if (below + here > half) {
      const fraction = (half - below) / here;
      return k === 0 ? 0.5 * fraction : k - 0.5 + fraction;
    }
    below += here;
  }
  return NaN;
}

function medianDifferenceSelected(pixels: ArrayLike<number>, widthPx: number, heightPx: number, median: number): number {
  const differences = new Float32Array(Math.floor(widthPx / 2) * Math.floor(heightPx / 2));
  let count = 0;
  for (let y = 0; y + 1 < heightPx; y += 2) {
    for (let x = 0; x + 1 < widthPx; x += 2) {
      const i = y * widthPx + x;
      if (pixels[i] >= median) differences[count++] = Math.abs(pixels[i] - pixels[i + 1] - pixels[i + widthPx] + pixels[i + widthPx + 1]);
    }
  }
  if (count === 0) return NaN;
  const kept = differences.subarray(0, count);
  const k = Math.floor(count / 2);
  selectRank(kept, k);
  return kept[k];
}
