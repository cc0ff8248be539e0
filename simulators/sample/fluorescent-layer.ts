import type { PixelGrid } from './pixel-grid';

/**
 * One thin slab of the specimen at a height above the coverslip. Its fluorophore density is dimensionless (1 = the
 * reference concentration) per µm² of sample area; a pixel's value is the density averaged over the pixel.
 */
export interface FluorescentLayer {
  readonly zUm: number;
  /** Adds the layer's density on `grid` into `out` (grid.widthPx × grid.heightPx, row-major). */
  rasterize(grid: PixelGrid, out: Float32Array): void;
}
