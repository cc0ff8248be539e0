import { BleachMap, type FieldRect } from './bleaching';
import { applyCameraNoise } from './camera-noise';
import type { CameraModel, ImagingConditions, Specimen } from './contract';
import { FocusStack } from './focus-stack';
import type { PixelGrid } from './pixel-grid';
import { Random } from './random';
import { atLeastZero, checkCamera, checkConditions, SpecimenInputError } from './specimen-input';
import { makeLayers, resolveOptions, type ResolvedSpecimenOptions, type SpecimenOptions } from './specimen-options';

export { psfSigmaUm } from './optics';
export type { SpecimenOptions } from './specimen-options';

/**
 * The virtual specimen: deterministic from its seed; renders what a widefield camera sees for a stage position,
 * focus, illumination and exposure, and remembers the light each patch of the dish received (photobleaching).
 *
 * Geometry: the camera's field is centred on (stageXUm, stageYUm); image columns run along +x, rows along +y, and a
 * pixel is camera.pixelSizeUm × binning on the sample. camera.widthPx × heightPx is the frame as read out (after
 * binning); each binned pixel collects the light of binning² sensor pixels and is read once (charge binning).
 *
 * Photometry: expected photo-electrons per pixel = QE × photonsPerUm2PerMwS × pixel area (µm²) × power (mW) ×
 * exposure (s) × fluorophore density (blurred by the PSF, times the fraction not yet bleached).
 *
 * Bleaching follows the dose (power × exposure) each patch of the dish received, not the clock, so conditions.timeS
 * does not enter the image; light outside exposures is added with recordIllumination.
 */
export class VirtualSpecimen implements Specimen {
  private readonly options: ResolvedSpecimenOptions;
  private readonly stack: FocusStack;
  private readonly bleaching: BleachMap;
  private readonly noise: Random;
  /** The expected electrons of the last frame rendered, and what they were computed for. */
  private lastExpected: { key: string; electrons: Float32Array } = { key: '', electrons: new Float32Array(0) };

  constructor(options: SpecimenOptions) {
    this.options = resolveOptions(options);
    this.stack = new FocusStack(makeLayers(this.options), this.options.refractiveIndex);
    // Twice the dish, so fields at the dish's edge are tracked too.
    this.bleaching = new BleachMap(2 * this.options.fieldUm, this.options.bleachPatchUm, this.options.bleachHalfDoseMwS);
    this.noise = new Random(this.options.seed ^ 0x5eed);
  }

  render(conditions: ImagingConditions, camera: CameraModel, out?: Uint16Array): Uint16Array {
    checkCamera(camera);
    checkConditions(conditions);
    const pixels = camera.widthPx * camera.heightPx;
    if (out && out.length !== pixels) throw new SpecimenInputError(`render: out holds ${out.length} pixels, the frame ${pixels}`);
    const expected = this.cachedExpected(conditions, camera);
    const frame = applyCameraNoise(expected, camera, this.noise, out);
    this.bleaching.addDose(fieldOf(gridOf(conditions, camera)), doseMwS(conditions, conditions.exposureMs));
    return frame;
  }

  expectedElectrons(conditions: ImagingConditions, camera: CameraModel): Float32Array {
    checkCamera(camera);
    checkConditions(conditions);
    return this.fillExpected(new Float32Array(camera.widthPx * camera.heightPx), conditions, camera);
  }

  /**
   * Light that reaches the sample outside an exposure (a shutter left open between frames, focusing by eye):
   * bleaches the field at the given conditions' stage position and power for `durationMs`, without a frame.
   */
  recordIllumination(conditions: ImagingConditions, camera: CameraModel, durationMs: number): void {
    checkCamera(camera);
    checkConditions(conditions);
    atLeastZero('recordIllumination durationMs', durationMs);
    this.bleaching.addDose(fieldOf(gridOf(conditions, camera)), doseMwS(conditions, durationMs));
  }

  /** Cumulative illumination dose of the dish patch around a sample point, mW·s (ground truth). */
  doseAt(xUm: number, yUm: number): number {
    return this.bleaching.doseAt(xUm, yUm);
  }

  /** Fraction of the fluorophores left unbleached around a sample point (ground truth). */
  remainingFluorescenceAt(xUm: number, yUm: number): number {
    return this.bleaching.remainingAt(xUm, yUm);
  }

  /** Repeated frames with nothing changed (no bleaching, or in the dark) reuse the expected image; only noise is new. */
  private cachedExpected(conditions: ImagingConditions, camera: CameraModel): Float32Array {
    const key = [
      conditions.stageXUm,
      conditions.stageYUm,
      conditions.focusZUm,
      conditions.exposureMs,
      conditions.illuminationPowerMw,
      conditions.emissionWavelengthNm,
      conditions.numericalAperture,
      camera.widthPx,
      camera.heightPx,
      camera.pixelSizeUm,
      camera.binning,
      camera.quantumEfficiency,
      this.bleaching.version,
    ].join(',');
    if (this.lastExpected.key === key) return this.lastExpected.electrons;
    const pixels = camera.widthPx * camera.heightPx;
    const electrons = this.lastExpected.electrons.length === pixels ? this.lastExpected.electrons : new Float32Array(pixels);
    this.lastExpected = { key, electrons: this.fillExpected(electrons, conditions, camera) };
    return electrons;
  }

  private fillExpected(out: Float32Array, conditions: ImagingConditions, camera: CameraModel): Float32Array {
    const grid = gridOf(conditions, camera);
    const frameDoseMwS = doseMwS(conditions, conditions.exposureMs);
    const electronsPerDensity = camera.quantumEfficiency * this.options.photonsPerUm2PerMwS * grid.pixelUm * grid.pixelUm * frameDoseMwS;
    if (electronsPerDensity === 0) return out.fill(0);
    const uniform = this.options.pattern === 'uniform';
    const density = uniform ? undefined : this.stack.density(grid, conditions);
    const background = uniform ? 1 : this.options.backgroundDensity;
    const rows = this.bleaching.patchIndexes(grid.y0Um, grid.heightPx, grid.pixelUm);
    const columns = this.bleaching.patchIndexes(grid.x0Um, grid.widthPx, grid.pixelUm);
    // Electrons per unit density for each pixel of the current row, refreshed when the row enters a new patch row.
    const rowScale = new Float32Array(grid.widthPx);
    let patchRow = -1;
    for (let y = 0; y < grid.heightPx; y++) {
      if (rows[y] !== patchRow) {
        patchRow = rows[y];
        let patchColumn = -1;
        let scale = 0;
        for (let x = 0; x < grid.widthPx; x++) {
          if (columns[x] !== patchColumn) {
            patchColumn = columns[x];
            scale =
              electronsPerDensity * this.bleaching.meanRemainingDuring(this.bleaching.doseOfPatch(patchRow, patchColumn), frameDoseMwS);
          }
          rowScale[x] = scale;
        }
      }
      const base = y * grid.widthPx;
      if (density) {
        for (let x = 0; x < grid.widthPx; x++) out[base + x] = (density[base + x] + background) * rowScale[x];
      } else {
        for (let x = 0; x < grid.widthPx; x++) out[base + x] = background * rowScale[x];
      }
    }
    return out;
  }
}

function gridOf(conditions: ImagingConditions, camera: CameraModel): PixelGrid {
  const pixelUm = camera.pixelSizeUm * camera.binning;
  return {
    x0Um: conditions.stageXUm - (camera.widthPx * pixelUm) / 2,
    y0Um: conditions.stageYUm - (camera.heightPx * pixelUm) / 2,
    widthPx: camera.widthPx,
    heightPx: camera.heightPx,
    pixelUm,
  };
}

function fieldOf(grid: PixelGrid): FieldRect {
  return {
    x0Um: grid.x0Um,
    y0Um: grid.y0Um,
    x1Um: grid.x0Um + grid.widthPx * grid.pixelUm,
    y1Um: grid.y0Um + grid.heightPx * grid.pixelUm,
  };
}

/** Illumination dose of `durationMs` at the conditions' power, mW·s. */
function doseMwS(conditions: ImagingConditions, durationMs: number): number {
  return conditions.illuminationPowerMw * (durationMs / 1000);
}
