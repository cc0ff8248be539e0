/**
 * A frame's signal-to-noise ratio without a reference: signal is the spread between the bright structures (95th
 * percentile) and the background (5th), noise the robust standard deviation of neighbouring-pixel differences in
 * the brighter half of the frame (where shot noise lives), / √2 because a difference holds two pixels' noise.
 */
export function estimateSnr(pixels: ArrayLike<number>, widthPx: number, heightPx: number): number {
  const n = widthPx * heightPx;
  if (n < 16 || pixels.length < n) return NaN;
  const sorted = Float32Array.from({ length: n }, (_, i) => pixels[i]).sort();
  const background = sorted[Math.floor(n * 0.05)];
  const bright = sorted[Math.floor(n * 0.95)];
  const median = sorted[Math.floor(n * 0.5)];
  const differences: number[] = [];
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x + 1 < widthPx; x += 2) {
      const i = y * widthPx + x;
      if (pixels[i] >= median) differences.push(Math.abs(pixels[i + 1] - pixels[i]));
    }
  }
  if (differences.length === 0) return NaN;
  differences.sort((a, b) => a - b);
  const noise = differences[Math.floor(differences.length / 2)] / 0.6745 / Math.SQRT2;
  return (bright - background) / Math.max(noise, 0.5);
}
