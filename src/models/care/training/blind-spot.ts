import type { SeededRandom } from './seeded-random';

/**
 * Noise2Void's blind-spot masking (Krull et al. 2019): a stratified random subset of pixels (one per grid cell of
 * area 1/maskedFraction) is replaced by a random other pixel of its neighbourhood, and the loss is taken on those
 * pixels only. The network cannot see a masked pixel's own noise, so it learns to predict the signal from the
 * surroundings: with noise independent between pixels, the loss is the error against the clean image plus the
 * noise variance (Noise2Self's J-invariance, Batson & Royer 2019).
 */
export interface BlindSpotOptions {
  /** Share of pixels masked per patch. */
  readonly maskedFraction: number;
  /** Replacement values come from the (2r+1)² neighbourhood, the centre excluded. */
  readonly radiusPx: number;
}

const mirror = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);

export const DEFAULT_BLIND_SPOT: BlindSpotOptions = { maskedFraction: 0.02, radiusPx: 2 };

/**
 * Masks one patch in place: `input` gets the replaced values; returns the mask (1 at masked pixels).
 * `original` is the unmasked patch (the target).
 */
export function maskBlindSpots(original: Float32Array, input: Float32Array, sizePx: number, random: SeededRandom, options: BlindSpotOptions = DEFAULT_BLIND_SPOT): Float32Array {
  input.set(original);
  const mask = new Float32Array(sizePx * sizePx);
  const cell = Math.max(1, Math.round(Math.sqrt(1 / options.maskedFraction)));
  const r = options.radiusPx;
  for (let cy = 0; cy < sizePx; cy += cell) {
    for (let cx = 0; cx < sizePx; cx += cell) {
      const y = Math.min(sizePx - 1, cy + random.int(cell));
      const x = Math.min(sizePx - 1, cx + random.int(cell));
      let dy = 0;
      let dx = 0;
      while (dy === 0 && dx === 0) {
        dy = random.int(2 * r + 1) - r;
        dx = random.int(2 * r + 1) - r;
      }
      // Mirrored at the patch border, so the replacement is never the pixel itself.
      const sy = mirror(y + dy, sizePx);
      const sx = mirror(x + dx, sizePx);
      input[y * sizePx + x] = original[sy * sizePx + sx];
      mask[y * sizePx + x] = 1;
    }
  }
  return mask;
}
