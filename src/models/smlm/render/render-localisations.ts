import type { CameraGrid, Localisation } from '../localisation';

export interface RenderOptions {
  readonly upsampling: number;
  /**
   * `histogram`: each localisation adds 1 to the super-resolved pixel holding it;
   * `gaussian`: each adds a normalised Gaussian of its uncertainty (at least half a super-resolved pixel).
   */
  readonly mode?: 'histogram' | 'gaussian';
}

/** Renders localisations on the super-resolved grid (×upsampling the camera grid), as ThunderSTORM does. */
export function renderLocalisations(localisations: readonly Localisation[], grid: CameraGrid, options: RenderOptions): Float32Array {
  const f = options.upsampling;
  const width = grid.widthPx * f;
  const height = grid.heightPx * f;
  const srNm = grid.pixelSizeNm / f;
  const image = new Float32Array(width * height);
  const mode = options.mode ?? 'histogram';
  for (const loc of localisations) {
    const x = loc.xNm / srNm;
    const y = loc.yNm / srNm;
    if (mode === 'histogram') {
      const ix = Math.floor(x);
      const iy = Math.floor(y);
      if (ix >= 0 && iy >= 0 && ix < width && iy < height) image[iy * width + ix] += 1;
      continue;
    }
    const s = Math.max(0.5, (Number.isFinite(loc.uncertaintyNm) ? loc.uncertaintyNm : srNm) / srNm);
    const r = Math.ceil(3 * s);
    const x0 = Math.max(0, Math.floor(x) - r);
    const x1 = Math.min(width - 1, Math.floor(x) + r);
    const y0 = Math.max(0, Math.floor(y) - r);
    const y1 = Math.min(height - 1, Math.floor(y) + r);
    if (x0 > x1 || y0 > y1) continue;
    const weights: number[] = [];
    let total = 0;
    for (let yy = y0; yy <= y1; yy++) {
      for (let xx = x0; xx <= x1; xx++) {
        const w = Math.exp(-((xx + 0.5 - x) ** 2 + (yy + 0.5 - y) ** 2) / (2 * s * s));
        weights.push(w);
        total += w;
      }
    }
    let k = 0;
    for (let yy = y0; yy <= y1; yy++) for (let xx = x0; xx <= x1; xx++) image[yy * width + xx] += weights[k++] / total;
  }
  return image;
}
