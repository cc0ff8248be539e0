import type { PixelArray } from '../../hardware/devices';

/**
 * Normalised variance (Groen, Young & Ligthart 1985): Σ(i − μ)² / (N·μ). Dividing by the mean makes the figure
 * grow with brightness linearly rather than quadratically, so bleaching or lamp flicker during a scan tilt the
 * focus curve less; among the classic focus functions it is one of the most robust on fluorescence images.
 * Highest in focus; 0 for an empty or flat frame.
 */
export function normalizedVariance(pixels: PixelArray): number {
  const count = pixels.length;
  if (count === 0) return 0;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += pixels[i];
  const mean = sum / count;
  if (!(mean > 0)) return 0;
  let squares = 0;
  for (let i = 0; i < count; i++) {
    const deviation = pixels[i] - mean;
    squares += deviation * deviation;
  }
  return squares / (count * mean);
}
