import type { CameraModel, ImagingConditions } from './contract';

/** A camera model, imaging condition or specimen option the specimen cannot render with (names the field). */
export class SpecimenInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecimenInputError';
  }
}

/** Largest frame side rendered, px: twice the 2048 of scientific CMOS cameras, small enough to stay in memory. */
export const MAX_FRAME_SIDE_PX = 4096;

export function checkCamera(camera: CameraModel): void {
  integerIn('camera.widthPx', camera.widthPx, 1, MAX_FRAME_SIDE_PX);
  integerIn('camera.heightPx', camera.heightPx, 1, MAX_FRAME_SIDE_PX);
  integerIn('camera.bitDepth', camera.bitDepth, 1, 16);
  integerIn('camera.binning', camera.binning, 1, 64);
  positive('camera.pixelSizeUm', camera.pixelSizeUm);
  atLeastZero('camera.gainAduPerElectron', camera.gainAduPerElectron);
  atLeastZero('camera.readNoiseElectrons', camera.readNoiseElectrons);
  atLeastZero('camera.offsetAdu', camera.offsetAdu);
  if (!(camera.quantumEfficiency >= 0 && camera.quantumEfficiency <= 1)) {
    throw new SpecimenInputError(`camera.quantumEfficiency must lie in [0, 1], got ${camera.quantumEfficiency}`);
  }
}

export function checkConditions(conditions: ImagingConditions): void {
  finite('conditions.stageXUm', conditions.stageXUm);
  finite('conditions.stageYUm', conditions.stageYUm);
  finite('conditions.focusZUm', conditions.focusZUm);
  finite('conditions.timeS', conditions.timeS);
  atLeastZero('conditions.exposureMs', conditions.exposureMs);
  atLeastZero('conditions.illuminationPowerMw', conditions.illuminationPowerMw);
  positive('conditions.excitationWavelengthNm', conditions.excitationWavelengthNm);
  positive('conditions.emissionWavelengthNm', conditions.emissionWavelengthNm);
  positive('conditions.numericalAperture', conditions.numericalAperture);
}

export function positive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new SpecimenInputError(`${name} must be a positive number, got ${value}`);
}

export function atLeastZero(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new SpecimenInputError(`${name} must be a number ≥ 0, got ${value}`);
}

function finite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new SpecimenInputError(`${name} must be a finite number, got ${value}`);
}

export function integerIn(name: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new SpecimenInputError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
