/** A rectangle of square pixels laid over the sample plane. */
export interface PixelGrid {
  /** Sample coordinates of the top-left corner of pixel (0, 0), µm; x grows with column, y with row. */
  readonly x0Um: number;
  readonly y0Um: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly pixelUm: number;
}

/**
 * Adds `amount` at a sample point, shared bilinearly among the four pixels around it. Unlike dropping it in the
 * nearest pixel, this moves the image smoothly when the stage moves by a fraction of a pixel.
 */
export function splatBilinear(out: Float32Array, grid: PixelGrid, xUm: number, yUm: number, amount: number): void {
  const fx = (xUm - grid.x0Um) / grid.pixelUm - 0.5;
  const fy = (yUm - grid.y0Um) / grid.pixelUm - 0.5;
  const px = Math.floor(fx);
  const py = Math.floor(fy);
  const wx = fx - px;
  const wy = fy - py;
  addAt(out, grid, px, py, amount * (1 - wx) * (1 - wy));
  addAt(out, grid, px + 1, py, amount * wx * (1 - wy));
  addAt(out, grid, px, py + 1, amount * (1 - wx) * wy);
  addAt(out, grid, px + 1, py + 1, amount * wx * wy);
}

function addAt(out: Float32Array, grid: PixelGrid, px: number, py: number, amount: number): void {
  if (px < 0 || py < 0 || px >= grid.widthPx || py >= grid.heightPx) return;
  out[py * grid.widthPx + px] += amount;
}

/** The grid grown by `marginPx` on every side. */
export function withMargin(grid: PixelGrid, marginPx: number): PixelGrid {
  return {
    x0Um: grid.x0Um - marginPx * grid.pixelUm,
    y0Um: grid.y0Um - marginPx * grid.pixelUm,
    widthPx: grid.widthPx + 2 * marginPx,
    heightPx: grid.heightPx + 2 * marginPx,
    pixelUm: grid.pixelUm,
  };
}

export function gridKey(grid: PixelGrid): string {
  return `${grid.x0Um},${grid.y0Um},${grid.widthPx},${grid.heightPx},${grid.pixelUm}`;
}
