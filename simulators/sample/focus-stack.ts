import type { FluorescentLayer } from './fluorescent-layer';
import { addGaussianBlur } from './gaussian-blur';
import { immersionIndex, psfSigmaUm } from './optics';
import { gridKey, withMargin, type PixelGrid } from './pixel-grid';
import { scratchArray } from './scratch';

export interface Optics {
  readonly focusZUm: number;
  readonly emissionWavelengthNm: number;
  readonly numericalAperture: number;
}

/** Margins grow in steps so that small focus changes reuse the rasters. */
const MARGIN_STEP_PX = 16;
/** Beyond this margin, structures farther out are left out of very blurred images (their light is faint there). */
const MAX_MARGIN_PX = 512;

/**
 * The specimen as seen through the objective: every layer blurred by the PSF for its distance from focus, summed.
 * Layers are rasterised with a margin wide enough for the widest blur, so structures just outside the field still
 * shine into it and the edges of the image are right. Keeps the rasters of the last field and the result of the last
 * field and focus, which is what repeated frames at one position, a z-stack or a timelapse need.
 */
export class FocusStack {
  private rasters?: { key: string; marginPx: number; grid: PixelGrid; layers: Float32Array[] };
  private projected?: { key: string; density: Float32Array };

  constructor(
    private readonly layers: readonly FluorescentLayer[],
    private readonly refractiveIndex: number,
  ) {}

  /** Blurred fluorophore density per pixel of `grid` (shared with the cache: do not modify). */
  density(grid: PixelGrid, optics: Optics): Float32Array {
    const key = `${gridKey(grid)}|${optics.focusZUm},${optics.emissionWavelengthNm},${optics.numericalAperture}`;
    if (this.projected?.key === key) return this.projected.density;
    const index = immersionIndex(optics.numericalAperture, this.refractiveIndex);
    const sigmasPx = this.layers.map(
      (layer) => psfSigmaUm(optics.emissionWavelengthNm, optics.numericalAperture, optics.focusZUm - layer.zUm, index) / grid.pixelUm,
    );
    const rasters = this.rastersFor(grid, Math.ceil(3 * Math.max(0, ...sigmasPx)) + 2);
    const padded = rasters.grid;
    const sum = scratchArray('focus.sum', padded.widthPx * padded.heightPx);
    this.layers.forEach((_, i) => addGaussianBlur(rasters.layers[i], padded.widthPx, padded.heightPx, sigmasPx[i], sum));
    // The previous result is dropped from the cache here, so its array can take the new one.
    const previous = this.projected?.density;
    const density = previous?.length === grid.widthPx * grid.heightPx ? previous : new Float32Array(grid.widthPx * grid.heightPx);
    cropMargin(sum, padded.widthPx, grid, rasters.marginPx, density);
    this.projected = { key, density };
    return density;
  }

  private rastersFor(grid: PixelGrid, neededMarginPx: number) {
    const key = gridKey(grid);
    const wanted = Math.min(MAX_MARGIN_PX, neededMarginPx);
    if (this.rasters?.key === key && this.rasters.marginPx >= wanted) return this.rasters;
    const marginPx = Math.min(MAX_MARGIN_PX, Math.ceil(wanted / MARGIN_STEP_PX) * MARGIN_STEP_PX);
    const padded = withMargin(grid, marginPx);
    // Drop the old rasters first: at 2048² they are tens of MB each.
    this.rasters = undefined;
    const layers = this.layers.map((layer) => {
      const raster = new Float32Array(padded.widthPx * padded.heightPx);
      layer.rasterize(padded, raster);
      return raster;
    });
    this.rasters = { key, marginPx, grid: padded, layers };
    return this.rasters;
  }
}

function cropMargin(padded: Float32Array, paddedWidth: number, grid: PixelGrid, marginPx: number, out: Float32Array): void {
  for (let y = 0; y < grid.heightPx; y++) {
    const src = (y + marginPx) * paddedWidth + marginPx;
    out.set(padded.subarray(src, src + grid.widthPx), y * grid.widthPx);
  }
}
