import { Random } from './random';

/** A cell in the dish: an ellipse of cytoplasm, a nucleus, and a network of filaments near the coverslip. */
export interface Cell {
  readonly xUm: number;
  readonly yUm: number;
  readonly radiusXUm: number;
  readonly radiusYUm: number;
  readonly angleRad: number;
  readonly nucleusRadiusUm: number;
  readonly filaments: ReadonlyArray<readonly [number, number, number, number]>;
}

/** Heights of the fluorescent layers above the coverslip, µm, and what each holds. */
export const LAYERS = [
  { zUm: 0.4, cytoplasm: 0.15, nucleus: 0, filaments: 1 },
  { zUm: 2.0, cytoplasm: 0.2, nucleus: 0.7, filaments: 0 },
  { zUm: 3.6, cytoplasm: 0.1, nucleus: 0.25, filaments: 0 },
] as const;

export function makeCells(seed: number, count: number, fieldUm: number): Cell[] {
  const random = new Random(seed);
  const cells: Cell[] = [];
  for (let i = 0; i < count; i++) {
    const radiusXUm = random.range(9, 16);
    const radiusYUm = radiusXUm * random.range(0.6, 1);
    const xUm = random.range(-fieldUm / 2, fieldUm / 2);
    const yUm = random.range(-fieldUm / 2, fieldUm / 2);
    const angleRad = random.range(0, Math.PI);
    const filaments: Array<[number, number, number, number]> = [];
    const filamentCount = 14 + Math.floor(random.range(0, 12));
    for (let f = 0; f < filamentCount; f++) {
      const a = random.range(0, 2 * Math.PI);
      const r = random.range(0, 0.8);
      const x0 = xUm + Math.cos(a) * r * radiusXUm;
      const y0 = yUm + Math.sin(a) * r * radiusYUm;
      const direction = random.range(0, Math.PI);
      const lengthUm = random.range(6, 2 * radiusXUm);
      filaments.push([
        x0 - (Math.cos(direction) * lengthUm) / 2,
        y0 - (Math.sin(direction) * lengthUm) / 2,
        x0 + (Math.cos(direction) * lengthUm) / 2,
        y0 + (Math.sin(direction) * lengthUm) / 2,
      ]);
    }
    cells.push({ xUm, yUm, radiusXUm, radiusYUm, angleRad, nucleusRadiusUm: radiusYUm * random.range(0.35, 0.5), filaments });
  }
  return cells;
}

export interface View {
  /** Sample coordinates of the view's centre, µm. */
  readonly centerXUm: number;
  readonly centerYUm: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly pixelUm: number;
}

/** Clips a filament to the cell ellipse's bounding circle so filaments stay inside their cell. */
function insideCell(cell: Cell, xUm: number, yUm: number): number {
  const dx = xUm - cell.xUm;
  const dy = yUm - cell.yUm;
  const c = Math.cos(cell.angleRad);
  const s = Math.sin(cell.angleRad);
  const u = (dx * c + dy * s) / cell.radiusXUm;
  const v = (-dx * s + dy * c) / cell.radiusYUm;
  return u * u + v * v;
}

/**
 * Fluorophore density of one layer over the view, in [0, ~1] per pixel: cytoplasm and nuclei filled with a soft
 * edge, filaments drawn as 0.25 µm wide lines.
 */
export function rasterizeLayer(cells: readonly Cell[], layer: (typeof LAYERS)[number], view: View): Float32Array {
  const { widthPx, heightPx, pixelUm } = view;
  const out = new Float32Array(widthPx * heightPx);
  const x0Um = view.centerXUm - (widthPx * pixelUm) / 2;
  const y0Um = view.centerYUm - (heightPx * pixelUm) / 2;
  const x1Um = x0Um + widthPx * pixelUm;
  const y1Um = y0Um + heightPx * pixelUm;
  for (const cell of cells) {
    const reach = cell.radiusXUm + 2;
    if (cell.xUm + reach < x0Um || cell.xUm - reach > x1Um || cell.yUm + reach < y0Um || cell.yUm - reach > y1Um) continue;
    const px0 = Math.max(0, Math.floor((cell.xUm - reach - x0Um) / pixelUm));
    const px1 = Math.min(widthPx - 1, Math.ceil((cell.xUm + reach - x0Um) / pixelUm));
    const py0 = Math.max(0, Math.floor((cell.yUm - reach - y0Um) / pixelUm));
    const py1 = Math.min(heightPx - 1, Math.ceil((cell.yUm + reach - y0Um) / pixelUm));
    for (let py = py0; py <= py1; py++) {
      const yUm = y0Um + (py + 0.5) * pixelUm;
      for (let px = px0; px <= px1; px++) {
        const xUm = x0Um + (px + 0.5) * pixelUm;
        const r2 = insideCell(cell, xUm, yUm);
        if (r2 > 1.2) continue;
        const edge = r2 < 1 ? 1 : (1.2 - r2) / 0.2;
        let density = layer.cytoplasm * edge;
        if (layer.nucleus) {
          const dn = Math.hypot(xUm - cell.xUm, yUm - cell.yUm) / cell.nucleusRadiusUm;
          if (dn < 1.1) density += layer.nucleus * (dn < 1 ? 1 : (1.1 - dn) / 0.1);
        }
        out[py * widthPx + px] += density;
      }
    }
    if (layer.filaments) drawFilaments(out, cell, view, x0Um, y0Um, layer.filaments);
  }
  return out;
}

function drawFilaments(out: Float32Array, cell: Cell, view: View, x0Um: number, y0Um: number, weight: number): void {
  const { widthPx, heightPx, pixelUm } = view;
  const halfWidthUm = 0.125;
  const stepUm = Math.min(pixelUm, 0.1) / 2;
  for (const [ax, ay, bx, by] of cell.filaments) {
    const lengthUm = Math.hypot(bx - ax, by - ay);
    const steps = Math.ceil(lengthUm / stepUm);
    // Deposit the line's fluorophores into pixels: mass per step = width × step length / pixel area.
    const mass = (2 * halfWidthUm * stepUm) / (pixelUm * pixelUm);
    for (let i = 0; i <= steps; i++) {
      const xUm = ax + ((bx - ax) * i) / steps;
      const yUm = ay + ((by - ay) * i) / steps;
      if (insideCell(cell, xUm, yUm) > 1) continue;
      const px = Math.floor((xUm - x0Um) / pixelUm);
      const py = Math.floor((yUm - y0Um) / pixelUm);
      if (px < 0 || py < 0 || px >= widthPx || py >= heightPx) continue;
      out[py * widthPx + px] += weight * 4 * mass;
    }
  }
}
