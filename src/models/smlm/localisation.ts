/**
 * A single-molecule localisation. Positions are measured from the image's top-left corner, with camera pixel i
 * spanning [i, i+1) pixel pitches (ThunderSTORM's convention), in nm.
 */
export interface Localisation {
  /** Frame number within the movie, from 0. */
  readonly frame: number;
  readonly xNm: number;
  readonly yNm: number;
  /** Photons of the emitter (0 when the method does not estimate them). */
  readonly photons: number;
  /** Width of the fitted PSF, nm (0 when not fitted). */
  readonly sigmaNm: number;
  /** Expected localisation precision, nm. */
  readonly uncertaintyNm: number;
}

/** The geometry of a movie: camera grid and physical pixel size. */
export interface CameraGrid {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly pixelSizeNm: number;
}

/** Deep-STORM's super-resolution factor: ×8 the camera grid. */
export const DEFAULT_UPSAMPLING = 8;

export class SmlmInputError extends Error {
  override readonly name = 'SmlmInputError';
}
