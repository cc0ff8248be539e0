import type { FluorescentLayer } from './fluorescent-layer';
import { splatBilinear, type PixelGrid } from './pixel-grid';

/**
 * Sub-resolution fluorescent beads on a square lattice at one height: the classic sample for measuring a
 * microscope's point-spread function. Beads sit at (i·spacing, j·spacing) within a square area centred on (0, 0).
 */
export class BeadLayer implements FluorescentLayer {
  constructor(
    readonly zUm: number,
    private readonly spacingUm: number,
    private readonly areaUm: number,
    /** Fluorophore content of one bead, as the area (µm²) of unit density it equals. */
    private readonly beadAmountUm2: number,
  ) {}

  rasterize(grid: PixelGrid, out: Float32Array): void {
    const half = this.areaUm / 2;
    const amount = this.beadAmountUm2 / (grid.pixelUm * grid.pixelUm);
    const xFrom = Math.max(-half, grid.x0Um - grid.pixelUm);
    const xTo = Math.min(half, grid.x0Um + (grid.widthPx + 1) * grid.pixelUm);
    const yFrom = Math.max(-half, grid.y0Um - grid.pixelUm);
    const yTo = Math.min(half, grid.y0Um + (grid.heightPx + 1) * grid.pixelUm);
    for (let j = Math.ceil(yFrom / this.spacingUm); j * this.spacingUm <= yTo; j++) {
      for (let i = Math.ceil(xFrom / this.spacingUm); i * this.spacingUm <= xTo; i++) {
        splatBilinear(out, grid, i * this.spacingUm, j * this.spacingUm, amount);
      }
    }
  }
}
