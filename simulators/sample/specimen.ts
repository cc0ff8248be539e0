import type { CameraModel, ImagingConditions, Specimen } from './contract';
import { LAYERS, makeCells, rasterizeLayer, type Cell, type View } from './cells';
import { gaussianBlur } from './gaussian-blur';
import { applyCameraNoise } from './camera-noise';
import { Random } from './random';

export interface SpecimenOptions {
  readonly seed: number;
  /** `cells`: cells with nuclei and filaments; `uniform`: a flat fluorescent layer, for calibration. */
  readonly pattern?: 'cells' | 'uniform';
  readonly cellCount?: number;
  /** Side of the square dish area holding cells, µm. */
  readonly fieldUm?: number;
  /** Photons emitted per µm² of unit fluorophore density per mW·s of illumination. */
  readonly photonsPerUm2PerMwS?: number;
  /** Illumination dose (mW·s on a region) that halves its fluorescence; Infinity = no bleaching. */
  readonly bleachHalfDoseMwS?: number;
  /** Refractive index of the immersion medium, for the depth of the point-spread function. */
  readonly refractiveIndex?: number;
}

const BLEACH_CELL_UM = 4;

/** Width of the widefield PSF (Gaussian approximation) at a defocus, µm. */
export function psfSigmaUm(emissionNm: number, numericalAperture: number, defocusUm: number, refractiveIndex = 1): number {
  const lambdaUm = emissionNm / 1000;
  const sigma0 = (0.21 * lambdaUm) / numericalAperture;
  const depthUm = (refractiveIndex * lambdaUm) / (numericalAperture * numericalAperture);
  return sigma0 * Math.sqrt(1 + (defocusUm / depthUm) ** 2);
}

/**
 * The virtual specimen: deterministic from its seed; renders what a widefield camera sees for a stage position,
 * focus, illumination and exposure, and remembers the light each region received (photobleaching).
 */
export class VirtualSpecimen implements Specimen {
  private readonly cells: Cell[];
  private readonly random: Random;
  private readonly bleachDose: Float64Array;
  private readonly bleachCells: number;
  private layerCache?: { key: string; layers: Float32Array[] };
  private densityCache?: { key: string; density: Float32Array };

  constructor(private readonly options: SpecimenOptions) {
    const fieldUm = options.fieldUm ?? 400;
    this.cells = options.pattern === 'uniform' ? [] : makeCells(options.seed, options.cellCount ?? Math.round((fieldUm * fieldUm) / 2500), fieldUm);
    this.random = new Random(options.seed ^ 0x5eed);
    this.bleachCells = Math.ceil((fieldUm * 2) / BLEACH_CELL_UM);
    this.bleachDose = new Float64Array(this.bleachCells * this.bleachCells);
  }

  render(conditions: ImagingConditions, camera: CameraModel, out?: Uint16Array): Uint16Array {
    const expected = this.expectedElectrons(conditions, camera);
    this.recordDose(conditions, camera);
    return applyCameraNoise(expected, camera, this.random, out);
  }

  expectedElectrons(conditions: ImagingConditions, camera: CameraModel): Float32Array {
    const view = this.viewOf(conditions, camera);
    const density = this.density(conditions, view);
    const photonsPerDensity =
      (this.options.photonsPerUm2PerMwS ?? 2000) *
      view.pixelUm *
      view.pixelUm *
      Math.max(0, conditions.illuminationPowerMw) *
      (Math.max(0, conditions.exposureMs) / 1000) *
      camera.quantumEfficiency;
    const out = new Float32Array(density.length);
    if (photonsPerDensity === 0) return out;
    const bleachRows = this.bleachIndexes(view.centerYUm, view.heightPx, view.pixelUm);
    const bleachCols = this.bleachIndexes(view.centerXUm, view.widthPx, view.pixelUm);
    const halfDose = this.options.bleachHalfDoseMwS ?? 300;
    const remaining = new Float32Array(this.bleachDose.length);
    for (let i = 0; i < remaining.length; i++) remaining[i] = Number.isFinite(halfDose) ? Math.pow(2, -this.bleachDose[i] / halfDose) : 1;
    for (let y = 0; y < view.heightPx; y++) {
      const rowBase = bleachRows[y] * this.bleachCells;
      for (let x = 0; x < view.widthPx; x++) {
        const i = y * view.widthPx + x;
        out[i] = density[i] * photonsPerDensity * remaining[rowBase + bleachCols[x]];
      }
    }
    return out;
  }

  /** Cumulative illumination dose of the region around a sample point, mW·s (ground truth for evaluations). */
  doseAt(xUm: number, yUm: number): number {
    const [col] = this.bleachIndexes(xUm, 1, 1);
    const [row] = this.bleachIndexes(yUm, 1, 1);
    return this.bleachDose[row * this.bleachCells + col];
  }

  private viewOf(conditions: ImagingConditions, camera: CameraModel): View {
    const binning = Math.max(1, camera.binning);
    return {
      centerXUm: conditions.stageXUm,
      centerYUm: conditions.stageYUm,
      widthPx: camera.widthPx,
      heightPx: camera.heightPx,
      pixelUm: camera.pixelSizeUm * binning,
    };
  }

  private density(conditions: ImagingConditions, view: View): Float32Array {
    if (this.options.pattern === 'uniform') return new Float32Array(view.widthPx * view.heightPx).fill(1);
    const viewKey = `${view.centerXUm},${view.centerYUm},${view.widthPx},${view.heightPx},${view.pixelUm}`;
    const key = `${viewKey},${conditions.focusZUm},${conditions.emissionWavelengthNm},${conditions.numericalAperture}`;
    if (this.densityCache?.key === key) return this.densityCache.density;
    if (this.layerCache?.key !== viewKey) {
      this.layerCache = { key: viewKey, layers: LAYERS.map((layer) => rasterizeLayer(this.cells, layer, view)) };
    }
    const density = new Float32Array(view.widthPx * view.heightPx);
    LAYERS.forEach((layer, i) => {
      const sigmaUm = psfSigmaUm(
        conditions.emissionWavelengthNm,
        conditions.numericalAperture,
        conditions.focusZUm - layer.zUm,
        this.options.refractiveIndex,
      );
      const blurred = gaussianBlur(this.layerCache!.layers[i], view.widthPx, view.heightPx, sigmaUm / view.pixelUm);
      for (let p = 0; p < density.length; p++) density[p] += blurred[p];
    });
    this.densityCache = { key, density };
    return density;
  }

  private bleachIndexes(centerUm: number, sizePx: number, pixelUm: number): Int32Array {
    const indexes = new Int32Array(sizePx);
    const half = (this.bleachCells * BLEACH_CELL_UM) / 2;
    const startUm = centerUm - (sizePx * pixelUm) / 2;
    for (let i = 0; i < sizePx; i++) {
      const cell = Math.floor((startUm + (i + 0.5) * pixelUm + half) / BLEACH_CELL_UM);
      indexes[i] = cell < 0 ? 0 : cell >= this.bleachCells ? this.bleachCells - 1 : cell;
    }
    return indexes;
  }

  private recordDose(conditions: ImagingConditions, camera: CameraModel): void {
    const doseMwS = Math.max(0, conditions.illuminationPowerMw) * (Math.max(0, conditions.exposureMs) / 1000);
    if (doseMwS === 0) return;
    const view = this.viewOf(conditions, camera);
    const rows = new Set(this.bleachIndexes(view.centerYUm, view.heightPx, view.pixelUm));
    const cols = new Set(this.bleachIndexes(view.centerXUm, view.widthPx, view.pixelUm));
    for (const row of rows) for (const col of cols) this.bleachDose[row * this.bleachCells + col] += doseMwS;
  }
}
