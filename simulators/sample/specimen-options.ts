import { BeadLayer } from './bead-layer';
import { CellLayer } from './cell-layer';
import { CELL_LAYERS, makeCells } from './cells';
import type { FluorescentLayer } from './fluorescent-layer';
import { atLeastZero, integerIn, positive, SpecimenInputError } from './specimen-input';

export interface SpecimenOptions {
  /** Everything random (cell layout, camera noise) follows from this. */
  readonly seed: number;
  /**
   * `cells` (default): adherent cells with nuclei and filaments; `beads`: a lattice of sub-resolution beads (PSF
   * measurements); `uniform`: an even fluorescent film, the same at every focus (photon statistics, flat fields).
   */
  readonly pattern?: 'cells' | 'beads' | 'uniform';
  /** Number of cells; default one per 50 × 50 µm of dish. */
  readonly cellCount?: number;
  /** Side of the square dish area holding the cells or beads, centred on stage (0, 0), µm. Default 400. */
  readonly fieldUm?: number;
  /**
   * Photons reaching the camera per µm² of sample at unit fluorophore density, per mW of illumination per second
   * of exposure (collection efficiency included). Default 2000: unit density gives ~42 photo-electrons per
   * 0.1625 µm pixel at 10 mW, 100 ms and QE 0.8.
   */
  readonly photonsPerUm2PerMwS?: number;
  /** Illumination dose (mW·s on a patch of the dish) that halves its fluorescence; Infinity: no bleaching. Default 300. */
  readonly bleachHalfDoseMwS?: number;
  /** Side of the square patches bleaching is tracked on, µm. Default 2. */
  readonly bleachPatchUm?: number;
  /**
   * Refractive index of the immersion medium: scales the depth of focus. Default 1 (air); an objective whose NA the
   * medium cannot support is taken to be water (NA ≤ 1.25) or oil immersed.
   */
  readonly refractiveIndex?: number;
  /** Even fluorescence of the medium (unit density), added everywhere for `cells` and `beads`. Default 0.02. */
  readonly backgroundDensity?: number;
  /** Bead lattice pitch, µm (pattern `beads`). Default 10. */
  readonly beadSpacingUm?: number;
  /** Height of the beads above the coverslip, µm (pattern `beads`). Default 0. */
  readonly beadZUm?: number;
  /** Fluorophore content of a bead as an area of unit density, µm² (pattern `beads`). Default 1. */
  readonly beadAmountUm2?: number;
}

/** The options with their defaults filled in, checked. */
export type ResolvedSpecimenOptions = Required<SpecimenOptions>;

export function resolveOptions(options: SpecimenOptions): ResolvedSpecimenOptions {
  const fieldUm = options.fieldUm ?? 400;
  const resolved: ResolvedSpecimenOptions = {
    seed: options.seed,
    pattern: options.pattern ?? 'cells',
    cellCount: options.cellCount ?? Math.round((fieldUm * fieldUm) / 2500),
    fieldUm,
    photonsPerUm2PerMwS: options.photonsPerUm2PerMwS ?? 2000,
    bleachHalfDoseMwS: options.bleachHalfDoseMwS ?? 300,
    bleachPatchUm: options.bleachPatchUm ?? 2,
    refractiveIndex: options.refractiveIndex ?? 1,
    backgroundDensity: options.backgroundDensity ?? 0.02,
    beadSpacingUm: options.beadSpacingUm ?? 10,
    beadZUm: options.beadZUm ?? 0,
    beadAmountUm2: options.beadAmountUm2 ?? 1,
  };
  if (!Number.isFinite(resolved.seed)) throw new SpecimenInputError(`seed must be a finite number, got ${resolved.seed}`);
  if (!['cells', 'beads', 'uniform'].includes(resolved.pattern)) {
    throw new SpecimenInputError(`pattern must be cells, beads or uniform, got ${String(resolved.pattern)}`);
  }
  integerIn('cellCount', resolved.cellCount, 0, 100_000);
  positive('fieldUm', resolved.fieldUm);
  atLeastZero('photonsPerUm2PerMwS', resolved.photonsPerUm2PerMwS);
  if (!(resolved.bleachHalfDoseMwS > 0))
    throw new SpecimenInputError(`bleachHalfDoseMwS must be > 0 (Infinity: no bleaching), got ${resolved.bleachHalfDoseMwS}`);
  positive('bleachPatchUm', resolved.bleachPatchUm);
  if (!(resolved.refractiveIndex >= 1 && resolved.refractiveIndex < 3))
    throw new SpecimenInputError(`refractiveIndex must lie in [1, 3), got ${resolved.refractiveIndex}`);
  atLeastZero('backgroundDensity', resolved.backgroundDensity);
  positive('beadSpacingUm', resolved.beadSpacingUm);
  atLeastZero('beadAmountUm2', resolved.beadAmountUm2);
  if (!Number.isFinite(resolved.beadZUm)) throw new SpecimenInputError(`beadZUm must be a finite number, got ${resolved.beadZUm}`);
  return resolved;
}

/** The layers the specimen is imaged as; none for `uniform`, whose film looks the same at any focus. */
export function makeLayers(options: ResolvedSpecimenOptions): FluorescentLayer[] {
  switch (options.pattern) {
    case 'uniform':
      return [];
    case 'beads':
      return [new BeadLayer(options.beadZUm, options.beadSpacingUm, options.fieldUm, options.beadAmountUm2)];
    case 'cells': {
      const cells = makeCells(options.seed, options.cellCount, options.fieldUm);
      return CELL_LAYERS.map((spec) => new CellLayer(cells, spec));
    }
  }
}
