export type { CameraModel, ImagingConditions, Specimen } from './contract';
export { VirtualSpecimen, type SpecimenOptions } from './specimen';
export { psfSigmaUm, inFocusSigmaUm, focalDepthUm, immersionIndex, FWHM_PER_SIGMA } from './optics';
export { BASAL_LAYER_Z_UM } from './cells';
export { SpecimenInputError } from './specimen-input';
export { maxAdu } from './camera-noise';
import { VirtualSpecimen } from './specimen';
import type { SpecimenOptions } from './specimen-options';

export function createSpecimen(options: SpecimenOptions): VirtualSpecimen {
  return new VirtualSpecimen(options);
}
