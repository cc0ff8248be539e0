import type { Localisation } from '../localisation';

export interface DensityLocalisationOptions {
  /** Super-resolved pixel size, nm. */
  readonly srPixelNm: number;
  /** Predicted density mass of one emitter (50 for the paper's loss). */
  readonly massPerEmitter: number;
  /** A peak counts as an emitter when the mass in its neighbourhood reaches this fraction of one emitter. */
  readonly threshold: number;
  /** Half-width of the neighbourhood summed for the mass and the centre of mass, SR pixels (default 1: 3×3). */
  readonly radiusPx?: number;
}

/** Sum of the positive density over a (2r+1)² box around every pixel (separable running sums). */
function boxMass(density: Float32Array, width: number, height: number, r: number): Float32Array {
  const rows = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let m = 0;
      for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
        const v = density[row + xx];
        if (v > 0) m += v;
      }
      rows[row + x] = m;
    }
  }
  const mass = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) {
      const src = yy * width;
      const dst = y * width;
      for (let x = 0; x < width; x++) mass[dst + x] += rows[src + x];
    }
  }
  return mass;
}

/**
 * Emitters from one frame's predicted density: local maxima of the local mass (sum over a (2r+1)² box, peaks
 * over a 5×5 neighbourhood so one blob gives one peak) above the threshold; position = centre of mass of the box.
 */
export function localiseDensity(density: Float32Array, width: number, height: number, frame: number, options: DensityLocalisationOptions): Localisation[] {
  const r = options.radiusPx ?? 1;
  const mass = boxMass(density, width, height, r);
  const minMass = options.threshold * options.massPerEmitter;
  const found: Localisation[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const m = mass[i];
      if (!(m >= minMass)) continue;
      let isPeak = true;
      for (let dy = -2; dy <= 2 && isPeak; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -2; dx <= 2; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
          const n = mass[yy * width + xx];
          if (n > m || (n === m && (dy < 0 || (dy === 0 && dx < 0)))) {
            isPeak = false;
            break;
          }
        }
      }
      if (!isPeak) continue;
      let sx = 0;
      let sy = 0;
      let sm = 0;
      for (let dy = -r; dy <= r; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const v = Math.max(0, density[yy * width + xx]);
          sx += v * (xx + 0.5);
          sy += v * (yy + 0.5);
          sm += v;
        }
      }
      found.push({
        frame,
        xNm: (sx / sm) * options.srPixelNm,
        yNm: (sy / sm) * options.srPixelNm,
        photons: 0,
        sigmaNm: 0,
        uncertaintyNm: options.srPixelNm / Math.sqrt(12),
      });
    }
  }
  return found;
}
