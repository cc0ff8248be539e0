export { DEFAULT_FEATURE_SETTINGS, PHOTOTOX_FEATURE_NAMES, framePhotometry, regionFeatures, type DoseEvent, type FeatureSettings, type ObservedFrame, type Region } from './phototox-features';
export { expectedCalibrationError, rocAuc } from './phototox-metrics';
export { PhototoxFeatureError, phototoxWeightsSchema, predictProbability, trainPhototoxModel, type PhototoxWeights, type TrainingOptions } from './phototox-model';
export { DEFAULT_PHOTOTOX_DIR, PHOTOTOX_WEIGHTS_FILE, PhototoxModelFileError, PhototoxPredictor, loadPhototoxPredictor, type FieldRisk } from './phototox-predictor';
