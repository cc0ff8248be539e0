/** BioImage Model Zoo packages (spec 0.5 and 0.4, ONNX weights) on ONNX Runtime, for stacks and the live stream. */
export { ZooModel, type ZooModelOptions, type ZooOutput, type ZooPrediction } from './zoo-model';
export { readZooPackage, ZOO_DESCRIPTION_FILES, type ZooPackage } from './zoo-package';
export type { AxisSize, ReproductionTolerance, ZooAxis, ZooDescription, ZooTensor } from './zoo-description';
export { DEFAULT_TOLERANCE } from './zoo-description';
export type { ProcessingStep } from './processing-steps';
export { ZooChecksumError, ZooPackageError, ZooReproducibilityError, ZooWeightsFormatError } from './zoo-errors';
export type { ReproductionReport } from './reproduce';
export { confidenceOf, inThreadPredictor, type FramePrediction, type FramePredictor } from './frame-predictor';
export { WorkerZooPredictor } from './worker-zoo-predictor';
export { ZOO_FRAME_KIND, zooBranch, type ZooBranchStats, type ZooFrameQuality, type ZooPredictedFrame } from './zoo-branch';
export { readNpy, writeNpy, NpyFormatError, type NpyArray } from './npy';
