/** Single-molecule localisation microscopy: Deep-STORM, the classical baseline, rendering, SQUIRREL, live branch. */
export { DEFAULT_UPSAMPLING, SmlmInputError, type CameraGrid, type Localisation } from './localisation';
export { localiseFrame, localisationUncertaintyNm, type CameraCalibration, type ClassicalOptions } from './classical/localise-frame';
export { buildDeepStorm, PAPER_ARCHITECTURE, scaledArchitecture, type DeepStormArchitecture } from './deep-storm/architecture';
export { DEFAULT_DEEP_STORM_MODEL, openDeepStorm, type DeepStormEngine } from './deep-storm/load-deep-storm';
export { readDeepStormScope, deepStormDescription, type DeepStormScope } from './deep-storm/deep-storm-package';
export { exportDeepStormOnnx } from './deep-storm/onnx-export';
export { trainDeepStorm, type TrainingBatch, type TrainingOptions } from './deep-storm/train';
export { predictDensities } from './deep-storm/predict-frames';
export { localiseDensity } from './deep-storm/localise-density';
export { renderLocalisations, type RenderOptions } from './render/render-localisations';
export { squirrel, widefieldMean, type SquirrelResult } from './quality/squirrel';
export { scoreLocalisations, type DetectionScore } from './metrics/match-localisations';
export { LocalisationCsvWriter, localisationsToCsv, LOCALISATION_CSV_HEADER } from './io/localisation-csv';
export { ClassicalProcessor, DeepStormProcessor, type BatchContribution, type FrameBatchProcessor } from './reconstruct/frame-processor';
export { reconstructStack, type ReconstructOptions } from './reconstruct/reconstruct-stack';
export { StormAccumulator, type StormSnapshot } from './reconstruct/storm-accumulator';
export { stormLive, type StormLiveFrame, type StormLiveOptions, type StormLiveQuality } from './live/storm-live';
export { defaultStormIo, StormInputError, type StormIo, type StormStack, type StormImage } from '../io/storm-io';
