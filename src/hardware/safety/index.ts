export { describeRequested, type ClampEvent, type ClampReason } from './clamp-event';
export { DoseLedger } from './dose-ledger';
export { LightCommandRejectedError, SafeLightSource, type SafeLightSourceOptions } from './safe-light-source';
export { resumeFromStandby, standBy } from './light-standby';
export {
  doseBudget,
  lightSafetyLimitsSchema,
  maxPowerPercentFor,
  type LightSafetyLimits,
  type LightSafetyLimitsInput,
} from './safety-limits';
export { DecisionTimeoutError, decideWithin, finiteNonNegativeOrZero } from './sanitize';
export { LightGuard, LightLimitError, type LightGuardOptions, type LightPathWriter, type OverLimitPolicy } from './light-guard';
export { kindOf, learnLightPath, type LightControlKind, type LightPathReader, type WatchedLightProperty } from './light-watch';
