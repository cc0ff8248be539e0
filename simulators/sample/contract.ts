/**
 * What the simulated camera needs from the virtual specimen. The Micro-Manager simulator renders every camera
 * frame through this interface; the specimen knows optics, photons and noise, the simulator knows devices.
 */

export interface CameraModel {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Camera pixel pitch projected onto the sample, µm. */
  readonly pixelSizeUm: number;
  readonly bitDepth: number;
  readonly offsetAdu: number;
  readonly gainAduPerElectron: number;
  readonly readNoiseElectrons: number;
  readonly quantumEfficiency: number;
  readonly binning: number;
}

export interface ImagingConditions {
  readonly stageXUm: number;
  readonly stageYUm: number;
  readonly focusZUm: number;
  readonly exposureMs: number;
  /** Light reaching the sample plane, mW (0 when the shutter is closed or the source off). */
  readonly illuminationPowerMw: number;
  readonly excitationWavelengthNm: number;
  readonly numericalAperture: number;
  readonly emissionWavelengthNm: number;
  /** Seconds since the specimen was created, in simulated time; drives bleaching and (later) motion. */
  readonly timeS: number;
}

export interface Specimen {
  /** Renders one camera frame in ADU (uint16, clipped to the camera's bit depth) and records the dose received. */
  render(conditions: ImagingConditions, camera: CameraModel, out?: Uint16Array): Uint16Array;
  /** The noise-free expected photo-electrons per pixel for the same conditions (ground truth; never shown to the agent). */
  expectedElectrons(conditions: ImagingConditions, camera: CameraModel): Float32Array;
}
