import type { Cell, CellLayerSpec } from './cells';
import type { FluorescentLayer } from './fluorescent-layer';
import { splatBilinear, type PixelGrid } from './pixel-grid';

/** Outlines fade out between r² = 1 and these values (r = normalised elliptical radius), so edges are soft. */
const CELL_EDGE_R2 = 1.2;
const NUCLEUS_EDGE_R2 = 1.1;
/** Filament bundles are thinner than any pixel; what matters is their fluorophore mass per length. */
const FILAMENT_WIDTH_UM = 0.25;

/** One height of a population of cells as a fluorescent layer. */
export class CellLayer implements FluorescentLayer {
  readonly zUm: number;

  constructor(
    private readonly cells: readonly Cell[],
    private readonly spec: CellLayerSpec,
  ) {
    this.zUm = spec.zUm;
  }

  rasterize(grid: PixelGrid, out: Float32Array): void {
    for (const cell of this.cells) {
      const reachUm = cell.radiusXUm * this.spec.cellScale * Math.sqrt(CELL_EDGE_R2) + grid.pixelUm;
      if (
        cell.xUm + reachUm < grid.x0Um ||
        cell.yUm + reachUm < grid.y0Um ||
        cell.xUm - reachUm > grid.x0Um + grid.widthPx * grid.pixelUm ||
        cell.yUm - reachUm > grid.y0Um + grid.heightPx * grid.pixelUm
      ) {
        continue;
      }
      this.fillBody(cell, grid, out, reachUm);
      if (this.spec.filaments > 0) this.drawFilaments(cell, grid, out);
    }
  }

  /** Cytoplasm, nucleus and nucleoli, sampled at pixel centres row by row over the span the cell covers. */
  private fillBody(cell: Cell, grid: PixelGrid, out: Float32Array, reachUm: number): void {
    const { spec } = this;
    const cellShape = ellipse(cell.xUm, cell.yUm, cell.radiusXUm * spec.cellScale, cell.radiusYUm * spec.cellScale, cell.angleRad);
    const nucleus = cell.nucleus;
    const nucleusShape = ellipse(
      nucleus.xUm,
      nucleus.yUm,
      nucleus.radiusXUm * spec.nucleusScale,
      nucleus.radiusYUm * spec.nucleusScale,
      cell.angleRad,
    );
    const nucleoli = cell.nucleoli.map((n) => ({ xUm: n.xUm, yUm: n.yUm, r2: (n.radiusUm * spec.nucleusScale) ** 2 }));
    const { pixelUm, widthPx } = grid;
    const rowFirst = Math.max(0, Math.floor((cell.yUm - reachUm - grid.y0Um) / pixelUm));
    const rowLast = Math.min(grid.heightPx - 1, Math.ceil((cell.yUm + reachUm - grid.y0Um) / pixelUm));
    for (let row = rowFirst; row <= rowLast; row++) {
      const yUm = grid.y0Um + (row + 0.5) * pixelUm;
      const span = cellShape.spanAt(yUm, CELL_EDGE_R2);
      if (!span) continue;
      const columnFirst = Math.max(0, Math.ceil((span[0] - grid.x0Um) / pixelUm - 0.5));
      const columnLast = Math.min(widthPx - 1, Math.floor((span[1] - grid.x0Um) / pixelUm - 0.5));
      for (let column = columnFirst; column <= columnLast; column++) {
        const xUm = grid.x0Um + (column + 0.5) * pixelUm;
        const r2 = cellShape.r2(xUm, yUm);
        if (r2 > CELL_EDGE_R2) continue;
        let density = spec.cytoplasm * (r2 < 1 ? 1 : (CELL_EDGE_R2 - r2) / (CELL_EDGE_R2 - 1));
        const n2 = nucleusShape.r2(xUm, yUm);
        if (n2 < NUCLEUS_EDGE_R2) {
          density += spec.nucleus * (n2 < 1 ? 1 : (NUCLEUS_EDGE_R2 - n2) / (NUCLEUS_EDGE_R2 - 1));
          for (const nucleolus of nucleoli) {
            const d2 = ((xUm - nucleolus.xUm) ** 2 + (yUm - nucleolus.yUm) ** 2) / nucleolus.r2;
            if (d2 < 1) density += spec.nucleoli * (1 - d2);
          }
        }
        out[row * widthPx + column] += density * cell.brightness;
      }
    }
  }

  /** Filament bundles as lines of fluorophore mass, clipped to the cell outline. */
  private drawFilaments(cell: Cell, grid: PixelGrid, out: Float32Array): void {
    const shape = ellipse(cell.xUm, cell.yUm, cell.radiusXUm, cell.radiusYUm, cell.angleRad);
    const stepUm = Math.min(grid.pixelUm, 0.2) / 2;
    // Mass per step in density·µm², spread over one pixel area by the splat.
    const amount = (this.spec.filaments * cell.brightness * FILAMENT_WIDTH_UM * stepUm) / (grid.pixelUm * grid.pixelUm);
    for (const [ax, ay, bx, by] of cell.filaments) {
      const steps = Math.ceil(Math.hypot(bx - ax, by - ay) / stepUm);
      for (let i = 0; i < steps; i++) {
        const t = (i + 0.5) / steps;
        const xUm = ax + (bx - ax) * t;
        const yUm = ay + (by - ay) * t;
        if (shape.r2(xUm, yUm) <= 1) splatBilinear(out, grid, xUm, yUm, amount);
      }
    }
  }
}

interface Ellipse {
  /** Squared normalised radius of a point: 1 on the outline. */
  r2(xUm: number, yUm: number): number;
  /** The x range where r² ≤ limit on the line at yUm, or undefined. */
  spanAt(yUm: number, limit: number): [number, number] | undefined;
}

function ellipse(cx: number, cy: number, rx: number, ry: number, angleRad: number): Ellipse {
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  const ix = 1 / (rx * rx);
  const iy = 1 / (ry * ry);
  // r² = A dx² + B dx dy + C dy² for offsets (dx, dy) from the centre.
  const A = c * c * ix + s * s * iy;
  const B = 2 * c * s * (ix - iy);
  const C = s * s * ix + c * c * iy;
  return {
    r2(xUm, yUm) {
      const dx = xUm - cx;
      const dy = yUm - cy;
      return A * dx * dx + B * dx * dy + C * dy * dy;
    },
    spanAt(yUm, limit) {
      const dy = yUm - cy;
      const b = B * dy;
      const discriminant = b * b - 4 * A * (C * dy * dy - limit);
      if (discriminant < 0) return undefined;
      const root = Math.sqrt(discriminant);
      return [cx + (-b - root) / (2 * A), cx + (-b + root) / (2 * A)];
    },
  };
}
