export {
  DEFAULT_FEATURE_SETTINGS,
  PHOTOTOX_FEATURE_NAMES,
  PHOTOTOX_V1_FEATURE_NAMES,
  featureColumns,
  framePhotometry,
  pickFeatures,
  regionFeatures,
  type DoseEvent,
  type FeatureSettings,
  type ObservedFrame,
  type PhototoxFeatureName,
  type Region,
} from './phototox-features';
export { brierScore, expectedCalibrationError, reliabilityCurve, rocAuc, type ReliabilityBin } from './phototox-metrics';
export { WAVELENGTH_TOXICITY_PRIOR, wavelengthToxicity } from './wavelength-toxicity';
export { PhototoxFeatureError, phototoxWeightsSchema, predictProbability, trainPhototoxModel, type PhototoxWeights, type TrainingOptions } from './phototox-model';
export { DEFAULT_PHOTOTOX_DIR, PHOTOTOX_WEIGHTS_FILE, PhototoxModelFileError, PhototoxPredictor, loadPhototoxPredictor, type FieldRisk } from './phototox-predictor';
