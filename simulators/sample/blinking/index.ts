export {
  BlinkingMovie,
  BlinkingSimulationError,
  type BlinkingFrame,
  type BlinkingMovieOptions,
  type GroundTruthEmitter,
} from './blinking-movie';
export type { StructureSpec } from './structures';
export type { Astigmatism } from './psf';
export { addIntegratedGaussian, erf, psfSigmasNm } from './psf';
