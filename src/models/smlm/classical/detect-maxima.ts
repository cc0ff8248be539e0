export interface Candidate {
  readonly xPx: number;
  readonly yPx: number;
  readonly value: number;
}

/**
 * Local maxima of a filtered image over its 8-neighbourhood that exceed `threshold`; plateaus yield one pixel.
 * Neighbours outside the image are ignored, so spots on the border are found too.
 */
export function detectLocalMaxima(filtered: Float32Array, width: number, height: number, threshold: number): Candidate[] {
  const found: Candidate[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = filtered[i];
      if (!(v > threshold)) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx === 0 && dy === 0) || x + dx < 0 || x + dx >= width || y + dy < 0 || y + dy >= height) continue;
          const n = filtered[i + dy * width + dx];
          // Strictly greater before, greater-or-equal after: a flat top is counted once.
          if (n > v || (n === v && (dy < 0 || (dy === 0 && dx < 0)))) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) found.push({ xPx: x, yPx: y, value: v });
    }
  }
  return found;
}
