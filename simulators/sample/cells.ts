import { Random } from './random';

/**
 * An adherent cell in the dish: a flat, dome-shaped body (an ellipse of cytoplasm that narrows with height), an
 * elliptical nucleus with nucleoli, and straight filament bundles (stress fibres) along the coverslip.
 */
export interface Cell {
  readonly xUm: number;
  readonly yUm: number;
  readonly radiusXUm: number;
  readonly radiusYUm: number;
  readonly angleRad: number;
  /** Labelling brightness of this cell relative to the mean (cells express different amounts of dye). */
  readonly brightness: number;
  readonly nucleus: {
    readonly xUm: number;
    readonly yUm: number;
    readonly radiusXUm: number;
    readonly radiusYUm: number;
  };
  readonly nucleoli: ReadonlyArray<{ readonly xUm: number; readonly yUm: number; readonly radiusUm: number }>;
  /** Segments [x0, y0, x1, y1], µm; drawn only where they lie inside the cell. */
  readonly filaments: ReadonlyArray<readonly [number, number, number, number]>;
}

/**
 * The slabs a cell is imaged as, by height above the coverslip: the basal layer with the filaments (where the
 * simulated autofocus lands, 0.4 µm), the middle of the nucleus, and the top of the dome. `cellScale` and
 * `nucleusScale` shrink the outlines with height; densities are relative to unit concentration.
 */
export const CELL_LAYERS = [
  { zUm: 0.4, cytoplasm: 0.15, cellScale: 1, nucleus: 0.2, nucleusScale: 0.9, nucleoli: 0, filaments: 3 },
  { zUm: 2.0, cytoplasm: 0.2, cellScale: 0.8, nucleus: 1.2, nucleusScale: 1, nucleoli: 0.6, filaments: 0 },
  { zUm: 3.6, cytoplasm: 0.1, cellScale: 0.5, nucleus: 0.5, nucleusScale: 0.65, nucleoli: 0.3, filaments: 0 },
] as const;

export type CellLayerSpec = (typeof CELL_LAYERS)[number];

/** Height of the basal (filament) layer, µm: the plane the simulated autofocus settles on. */
export const BASAL_LAYER_Z_UM = CELL_LAYERS[0].zUm;

/** `count` cells scattered over a square dish area of side `areaUm` centred on (0, 0); deterministic per seed. */
export function makeCells(seed: number, count: number, areaUm: number): Cell[] {
  const random = new Random(seed);
  const cells: Cell[] = [];
  for (let i = 0; i < count; i++) cells.push(makeCell(random, areaUm));
  return cells;
}

function makeCell(random: Random, areaUm: number): Cell {
  const radiusXUm = random.range(9, 16);
  const radiusYUm = radiusXUm * random.range(0.6, 1);
  const xUm = random.range(-areaUm / 2, areaUm / 2);
  const yUm = random.range(-areaUm / 2, areaUm / 2);
  const angleRad = random.range(0, Math.PI);
  const cos = Math.cos(angleRad);
  const sin = Math.sin(angleRad);
  const brightness = random.range(0.6, 1.4);

  const nucleusRadiusYUm = radiusYUm * random.range(0.35, 0.5);
  const nucleusRadiusXUm = Math.min(radiusXUm * 0.6, nucleusRadiusYUm * random.range(1, 1.4));
  const shiftUm = random.range(-0.2, 0.2) * radiusXUm;
  const nucleus = { xUm: xUm + shiftUm * cos, yUm: yUm + shiftUm * sin, radiusXUm: nucleusRadiusXUm, radiusYUm: nucleusRadiusYUm };

  const nucleoli = [];
  const nucleolusCount = 1 + Math.floor(random.range(0, 3));
  for (let n = 0; n < nucleolusCount; n++) {
    const a = random.range(0, 2 * Math.PI);
    const r = random.range(0, 0.5);
    const u = Math.cos(a) * r * nucleusRadiusXUm;
    const v = Math.sin(a) * r * nucleusRadiusYUm;
    nucleoli.push({ xUm: nucleus.xUm + u * cos - v * sin, yUm: nucleus.yUm + u * sin + v * cos, radiusUm: random.range(0.6, 1.2) });
  }

  const filaments: Array<[number, number, number, number]> = [];
  const filamentCount = 14 + Math.floor(random.range(0, 12));
  // Stress fibres run mostly along the cell's long axis.
  for (let f = 0; f < filamentCount; f++) {
    const a = random.range(0, 2 * Math.PI);
    const r = random.range(0, 0.8);
    const x0 = xUm + Math.cos(a) * r * radiusXUm;
    const y0 = yUm + Math.sin(a) * r * radiusYUm;
    const direction = angleRad + random.range(-0.6, 0.6);
    const lengthUm = random.range(6, 2 * radiusXUm);
    filaments.push([
      x0 - (Math.cos(direction) * lengthUm) / 2,
      y0 - (Math.sin(direction) * lengthUm) / 2,
      x0 + (Math.cos(direction) * lengthUm) / 2,
      y0 + (Math.sin(direction) * lengthUm) / 2,
    ]);
  }
  return { xUm, yUm, radiusXUm, radiusYUm, angleRad, brightness, nucleus, nucleoli, filaments };
}
