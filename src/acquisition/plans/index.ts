/** Acquisition plans: useq-schema MDASequence in, frozen MDAEvents out (lazily), plus summaries and estimates. */
export { parsePlan, validatePlan, type PlanFormat } from './parse-plan';
export { PlanValidationError, PlanSyntaxError, FieldOfViewRequiredError, type PlanIssue } from './plan-errors';
export { iterateEvents } from './iterate-events';
export {
  toUseqEventJson,
  type MDAEvent,
  type EventAction,
  type EventChannel,
  type EventIndex,
  type SequencedFrame,
  type UseqEventJson,
} from './mda-event';
export { estimateDuration, type DurationEstimate } from './estimate-duration';
export { countFrames } from './count-frames';
export { summarizePlan, fovFromCamera, type PlanSummary, type SummaryOptions, type StorageFormat } from './summarize-plan';
export { axisSizes } from './sequence-axes';
export { sequenceSchema } from './schema/sequence';
export * from './plan-types';
export { sequenceEvents, type SequencingOptions } from './sequenced-events';
