export type { CameraModel, ImagingConditions, Specimen } from './contract';
export { VirtualSpecimen, psfSigmaUm, type SpecimenOptions } from './specimen';
import { VirtualSpecimen, type SpecimenOptions } from './specimen';

export function createSpecimen(options: SpecimenOptions): VirtualSpecimen {
  return new VirtualSpecimen(options);
}
