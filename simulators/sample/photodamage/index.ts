export { LivingCell, type CellCondition, type CellTruth } from './living-cell';
export {
  DEFAULT_DISH_CAMERA,
  PhotodamageDish,
  type DishFrame,
  type DishLight,
  type DishOptions,
  type MitosisRecord,
} from './photodamage-dish';
export { DEFAULT_PHOTODAMAGE_PARAMS, wavelengthWeight, type PhotodamageParams } from './photodamage-params';
export { runFixedTimelapse, type TimelapseOptions, type TimelapseSummary } from './timelapse';
export { DishLamp } from './dish-lamp';
