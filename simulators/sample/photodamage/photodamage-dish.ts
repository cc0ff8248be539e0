import { applyCameraNoise } from '../camera-noise';
import { CELL_LAYERS } from '../cells';
import { CellLayer } from '../cell-layer';
import type { CameraModel } from '../contract';
import { gaussianBlur } from '../gaussian-blur';
import type { PixelGrid } from '../pixel-grid';
import { Random } from '../random';
import { LivingCell, type CellTruth } from './living-cell';
import { DEFAULT_PHOTODAMAGE_PARAMS, type PhotodamageParams } from './photodamage-params';

export interface DishOptions {
  readonly seed: number;
  /** Cells at the start; default 14. */
  readonly cellCount?: number;
  readonly params?: Partial<PhotodamageParams>;
  /** The camera; the field is widthPx × pixelSizeUm wide and the dish wraps around at its edges. */
  readonly camera?: Partial<CameraModel>;
  /** Photo-electrons per µm² of sample at unit dye density, per mW·s of illumination (QE included). */
  readonly electronsPerUm2PerMwS?: number;
  /** Unlabelled background fluorescence, in dye-density units. */
  readonly backgroundDensity?: number;
}

export interface DishLight {
  /** Light reaching the sample at the field centre, mW. */
  readonly powerMw: number;
  readonly wavelengthNm: number;
}

export interface DishFrame {
  readonly timeS: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly exposureMs: number;
  readonly powerMw: number;
  /** What the camera read out, ADU. */
  readonly raw: Uint16Array;
  /** The noise-free expected electrons of the same frame (ground truth, for evaluation only). */
  readonly clean: Float32Array;
}

export interface MitosisRecord {
  readonly cellId: number;
  readonly startS: number;
  /** When the cell split; undefined while it is still in mitosis, arrested or dead. */
  endS?: number;
  daughterIds?: readonly [number, number];
}

export const DEFAULT_DISH_CAMERA: CameraModel = {
  widthPx: 128,
  heightPx: 128,
  pixelSizeUm: 1,
  bitDepth: 12,
  offsetAdu: 100,
  gainAduPerElectron: 1,
  readNoiseElectrons: 1.5,
  quantumEfficiency: 1,
  binning: 1,
};

const MAX_STEP_S = 30;
const BASAL = CELL_LAYERS[0];
const NUCLEAR = CELL_LAYERS[1];

/**
 * A field of living cells that respond to the light they receive: a headless, seeded stand-in for a live-cell
 * time-lapse. Time only moves forward (advanceTo); exposures render a frame and deliver their light; every cell's
 * ground truth stays inside, for evaluation.
 */
export class PhotodamageDish {
  readonly params: PhotodamageParams;
  readonly camera: CameraModel;
  readonly fieldUm: number;
  timeS = 0;
  private cells: LivingCell[] = [];
  private readonly dead: LivingCell[] = [];
  private readonly motion: Random;
  private readonly noise: Random;
  private readonly births: Random;
  private nextId = 0;
  private readonly mitosisLog: MitosisRecord[] = [];
  private readonly frameTimesS: number[] = [];
  private readonly electronsPerUm2PerMwS: number;
  private readonly backgroundDensity: number;

  constructor(options: DishOptions) {
    this.params = { ...DEFAULT_PHOTODAMAGE_PARAMS, ...options.params };
    this.camera = { ...DEFAULT_DISH_CAMERA, ...options.camera };
    this.fieldUm = this.camera.widthPx * this.camera.pixelSizeUm * this.camera.binning;
    this.electronsPerUm2PerMwS = options.electronsPerUm2PerMwS ?? 60;
    this.backgroundDensity = options.backgroundDensity ?? 0.04;
    const layout = new Random(options.seed);
    this.motion = new Random(options.seed ^ 0x6d07);
    this.noise = new Random(options.seed ^ 0x5eed);
    this.births = new Random(options.seed ^ 0xb127);
    const count = options.cellCount ?? 14;
    for (let i = 0; i < count; i++) {
      const x = layout.range(-this.fieldUm / 2, this.fieldUm / 2);
      const y = layout.range(-this.fieldUm / 2, this.fieldUm / 2);
      this.cells.push(LivingCell.random(this.nextId++, layout, this.params, x, y));
    }
  }

  /** Lets time pass in the dark up to `timeS` (repair, crawling, cycle, mitoses). */
  advanceTo(timeS: number): void {
    while (this.timeS < timeS - 1e-9) {
      const dtS = Math.min(MAX_STEP_S, timeS - this.timeS);
      this.step(dtS);
      this.timeS += dtS;
    }
  }

  /** Takes one frame: renders what the camera sees, then the cells get the exposure's light. Time moves on by it. */
  expose(light: DishLight, exposureMs: number): DishFrame {
    const exposureS = Math.max(0, exposureMs) / 1000;
    const powerMw = Math.max(0, light.powerMw);
    const clean = this.expectedElectrons(powerMw * exposureS);
    const raw = applyCameraNoise(clean, this.camera, this.noise);
    this.illuminate(light, exposureS);
    this.frameTimesS.push(this.timeS);
    const frame = { timeS: this.timeS, widthPx: this.camera.widthPx, heightPx: this.camera.heightPx, exposureMs, powerMw, raw, clean };
    this.advanceTo(this.timeS + exposureS);
    return frame;
  }

  /** Light without a frame (e.g. a shutter left open), at the current time. */
  illuminate(light: DishLight, durationS: number): void {
    for (const cell of this.cells) {
      cell.illuminate(this.params, light.powerMw * this.irradianceAt(cell.xUm, cell.yUm), light.wavelengthNm, durationS);
    }
  }

  /** Ground truth of every cell, alive or dead, now. */
  truth(): CellTruth[] {
    return [...this.cells, ...this.dead].map((c) => c.truth(this.params)).sort((a, b) => a.id - b.id);
  }

  cellsAlive(): number {
    return this.cells.filter((c) => c.condition !== 'dead').length;
  }

  mitoses(): readonly MitosisRecord[] {
    return this.mitosisLog;
  }

  /** Completed mitoses during which at least `minFrames` frames were taken (the division was resolved in time). */
  mitosesCaptured(minFrames = 3): number {
    return this.mitosisLog.filter((m) => {
      if (m.endS === undefined) return false;
      const end = m.endS;
      return this.frameTimesS.filter((t) => t >= m.startS && t <= end).length >= minFrames;
    }).length;
  }

  /** Relative illumination at a sample point: 1 at the field centre, falling off as a Gaussian. */
  irradianceAt(xUm: number, yUm: number): number {
    const sigma = this.params.illuminationSigmaFraction * this.fieldUm;
    return Math.exp(-(xUm * xUm + yUm * yUm) / (2 * sigma * sigma));
  }

  /** Noise-free expected electrons for a frame of `doseMwS` (power at the centre × exposure). */
  expectedElectrons(doseMwS: number): Float32Array {
    const { widthPx, heightPx } = this.camera;
    const pixelUm = this.camera.pixelSizeUm * this.camera.binning;
    const grid: PixelGrid = { x0Um: -this.fieldUm / 2, y0Um: -this.fieldUm / 2, widthPx, heightPx, pixelUm };
    const shapes = this.cells.concat(this.dead).flatMap((cell) => this.wrappedShapes(cell));
    const basal = new Float32Array(widthPx * heightPx);
    const nuclear = new Float32Array(widthPx * heightPx);
    new CellLayer(shapes, BASAL).rasterize(grid, basal);
    new CellLayer(shapes, NUCLEAR).rasterize(grid, nuclear);
    const sharp = gaussianBlur(basal, widthPx, heightPx, 0.6);
    const soft = gaussianBlur(nuclear, widthPx, heightPx, 1.2);
    const perDensity = this.electronsPerUm2PerMwS * pixelUm * pixelUm * doseMwS;
    const out = new Float32Array(widthPx * heightPx);
    for (let y = 0; y < heightPx; y++) {
      const yUm = grid.y0Um + (y + 0.5) * pixelUm;
      for (let x = 0; x < widthPx; x++) {
        const i = y * widthPx + x;
        const profile = this.irradianceAt(grid.x0Um + (x + 0.5) * pixelUm, yUm);
        out[i] = (sharp[i] + soft[i] + this.backgroundDensity) * perDensity * profile;
      }
    }
    return out;
  }

  /** A cell near the field's edge is drawn on both sides, as the dish wraps around. */
  private wrappedShapes(cell: LivingCell) {
    const shape = cell.shape(this.params, 1);
    const half = this.fieldUm / 2;
    const reach = 20;
    const shifts: Array<[number, number]> = [[0, 0]];
    const dxs = [0, ...(cell.xUm > half - reach ? [-this.fieldUm] : []), ...(cell.xUm < -half + reach ? [this.fieldUm] : [])];
    const dys = [0, ...(cell.yUm > half - reach ? [-this.fieldUm] : []), ...(cell.yUm < -half + reach ? [this.fieldUm] : [])];
    for (const dx of dxs) for (const dy of dys) if (dx || dy) shifts.push([dx, dy]);
    return shifts.map(([dx, dy]) =>
      dx || dy
        ? {
            ...shape,
            xUm: shape.xUm + dx,
            yUm: shape.yUm + dy,
            nucleus: { ...shape.nucleus, xUm: shape.nucleus.xUm + dx, yUm: shape.nucleus.yUm + dy },
            nucleoli: shape.nucleoli.map((n) => ({ ...n, xUm: n.xUm + dx, yUm: n.yUm + dy })),
            filaments: shape.filaments.map(([a, b, c, d]) => [a + dx, b + dy, c + dx, d + dy] as const),
          }
        : shape,
    );
  }

  private step(dtS: number): void {
    const next: LivingCell[] = [];
    for (const cell of this.cells) {
      const wasInMitosis = cell.mitosisAgeS !== undefined;
      const divides = cell.advance(this.params, dtS, this.motion);
      this.wrap(cell);
      if (!wasInMitosis && cell.mitosisAgeS !== undefined) this.mitosisLog.push({ cellId: cell.id, startS: this.timeS });
      if (cell.condition === 'dead') {
        this.dead.push(cell);
        continue;
      }
      if (!divides) {
        next.push(cell);
        continue;
      }
      next.push(...this.divide(cell, dtS));
    }
    this.cells = next;
  }

  private divide(mother: LivingCell, dtS: number): LivingCell[] {
    const angle = this.births.range(0, Math.PI);
    const offsetUm = 6;
    const daughters = [1, -1].map((side) => {
      const d = LivingCell.random(
        this.nextId++,
        this.births,
        this.params,
        mother.xUm + side * offsetUm * Math.cos(angle),
        mother.yUm + side * offsetUm * Math.sin(angle),
        0,
      );
      d.damage = mother.damage;
      d.doseMwS = mother.doseMwS;
      d.bleachDoseMwS = mother.bleachDoseMwS;
      this.wrap(d);
      return d;
    });
    const record = this.mitosisLog.find((m) => m.cellId === mother.id && m.endS === undefined);
    if (record) {
      record.endS = this.timeS + dtS;
      record.daughterIds = [daughters[0].id, daughters[1].id];
    }
    return daughters;
  }

  private wrap(cell: LivingCell): void {
    const half = this.fieldUm / 2;
    if (cell.xUm >= half) cell.xUm -= this.fieldUm;
    if (cell.xUm < -half) cell.xUm += this.fieldUm;
    if (cell.yUm >= half) cell.yUm -= this.fieldUm;
    if (cell.yUm < -half) cell.yUm += this.fieldUm;
  }
}
