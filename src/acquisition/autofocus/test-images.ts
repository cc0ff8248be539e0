/**
 * Frames from the virtual specimen for this folder's tests: a 40×/0.75 objective (0.25 µm pixels) over a field
 * with cells, rendered at a chosen focus. The basal layer, where focus belongs, is at BASAL_LAYER_Z_UM.
 */
import { BASAL_LAYER_Z_UM, createSpecimen, focalDepthUm, type CameraModel, type ImagingConditions } from '../../../simulators/sample';

export const FOCUS_PLANE_UM = BASAL_LAYER_Z_UM;
const NUMERICAL_APERTURE = 0.75;
const EMISSION_NM = 525;
/** Half the depth of field λ/NA² of the test optics (air): how close to the plane counts as in focus. */
export const HALF_DEPTH_OF_FIELD_UM = focalDepthUm(EMISSION_NM, NUMERICAL_APERTURE) / 2;

const camera: CameraModel = {
  widthPx: 128,
  heightPx: 128,
  pixelSizeUm: 0.25,
  bitDepth: 16,
  offsetAdu: 0,
  gainAduPerElectron: 1,
  readNoiseElectrons: 2.5,
  quantumEfficiency: 0.8,
  binning: 1,
};

/** A renderer of one field: frames at any focus, with camera noise (each call a new frame). */
export function fieldRenderer(stage: { xUm: number; yUm: number } = { xUm: 60, yUm: -40 }, seed = 1): (focusZUm: number) => Uint16Array {
  // No bleaching, so repeated frames differ only by noise.
  const specimen = createSpecimen({ seed, bleachHalfDoseMwS: Infinity });
  return (focusZUm) => {
    const conditions: ImagingConditions = {
      stageXUm: stage.xUm,
      stageYUm: stage.yUm,
      focusZUm,
      exposureMs: 20,
      illuminationPowerMw: 10,
      excitationWavelengthNm: 488,
      emissionWavelengthNm: EMISSION_NM,
      numericalAperture: NUMERICAL_APERTURE,
      timeS: 0,
    };
    return specimen.render(conditions, camera);
  };
}
