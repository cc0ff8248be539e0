/**
 * A validated acquisition plan: useq-schema's MDASequence, normalised into readonly camelCase data with units in
 * the names. Produced only by `validatePlan` / `parsePlan`, which deep-freeze it.
 */

/** useq's axes: time, stage position, grid tile, channel, z plane. */
export type Axis = 't' | 'p' | 'g' | 'c' | 'z';

/** useq's default axis order, also the order in which an event's index lists its axes. */
export const AXES: readonly Axis[] = Object.freeze(['t', 'p', 'g', 'c', 'z'] as const);

export interface Channel {
  readonly config: string;
  readonly group: string;
  /** null: keep the camera's current exposure. */
  readonly exposureMs: number | null;
  /** false: take this channel only at the middle plane of a z stack. */
  readonly doStack: boolean;
  readonly zOffsetUm: number;
  /** Take this channel only at every Nth time point. */
  readonly acquireEvery: number;
  readonly camera: string | null;
}

/** A device property to set: [device, property, value], as Micro-Manager names them. */
export type PropertyTuple = readonly [deviceName: string, propertyName: string, value: unknown];

export interface Position {
  /** null: leave the stage where it is on that axis. */
  readonly xUm: number | null;
  readonly yUm: number | null;
  readonly zUm: number | null;
  readonly name: string | null;
  /** A sub-plan run at this position (its grid and relative z are offset by this position). */
  readonly sequence: MDASequence | null;
  readonly properties: readonly PropertyTuple[] | null;
}

export type OrderMode = 'row_wise' | 'column_wise' | 'row_wise_snake' | 'column_wise_snake' | 'spiral';
export type RelativeTo = 'center' | 'top_left';

interface FieldOfView {
  /** null: taken from the camera at expansion time (see ExpansionOptions). */
  readonly fovWidthUm: number | null;
  readonly fovHeightUm: number | null;
}

interface TiledGrid extends FieldOfView {
  /** Overlap of neighbouring tiles in percent of the field of view: [x, y]. */
  readonly overlapPercent: readonly [number, number];
  readonly mode: OrderMode;
}

/** rows × columns tiles around (or from the top-left of) the current position. */
export interface GridRowsColumns extends TiledGrid {
  readonly kind: 'rows_columns';
  readonly rows: number;
  readonly columns: number;
  readonly relativeTo: RelativeTo;
}

/** Absolute tiles covering a rectangle given by its outer edges in stage coordinates. */
export interface GridFromEdges extends TiledGrid {
  readonly kind: 'from_edges';
  readonly topUm: number;
  readonly leftUm: number;
  readonly bottomUm: number;
  readonly rightUm: number;
}

/** Tiles covering at least width × height around (or from the top-left of) the current position. */
export interface GridWidthHeight extends TiledGrid {
  readonly kind: 'width_height';
  readonly widthUm: number;
  readonly heightUm: number;
  readonly relativeTo: RelativeTo;
}

export type TraversalOrder = 'nearest_neighbor' | 'two_opt' | 'random';

/** Random points in an ellipse or rectangle around the current position (numpy's legacy RNG when seeded). */
export interface RandomPoints extends FieldOfView {
  readonly kind: 'random_points';
  readonly numPoints: number;
  readonly maxWidthUm: number;
  readonly maxHeightUm: number;
  readonly shape: 'ellipse' | 'rectangle';
  readonly randomSeed: number | null;
  readonly allowOverlap: boolean;
  readonly order: TraversalOrder | null;
  /** Index of the generated point to start from, or a point that is always visited first. */
  readonly startAt: number | { readonly xUm: number; readonly yUm: number };
}

/** A single relative offset used as a one-point "grid". */
export interface RelativePositionGrid extends FieldOfView {
  readonly kind: 'relative_position';
  readonly xUm: number;
  readonly yUm: number;
  readonly zUm: number;
}

export type GridPlan = GridRowsColumns | GridFromEdges | GridWidthHeight | RandomPoints | RelativePositionGrid;

interface ZPlanBase {
  /** false: visit the planes in reverse order. */
  readonly goUp: boolean;
}
export interface ZTopBottom extends ZPlanBase {
  readonly kind: 'top_bottom';
  readonly topUm: number;
  readonly bottomUm: number;
  readonly stepUm: number;
}
export interface ZRangeAround extends ZPlanBase {
  readonly kind: 'range_around';
  readonly rangeUm: number;
  readonly stepUm: number;
}
export interface ZAboveBelow extends ZPlanBase {
  readonly kind: 'above_below';
  readonly aboveUm: number;
  readonly belowUm: number;
  readonly stepUm: number;
}
export interface ZRelativePositions extends ZPlanBase {
  readonly kind: 'relative_positions';
  readonly relativeUm: readonly number[];
}
export interface ZAbsolutePositions extends ZPlanBase {
  readonly kind: 'absolute_positions';
  readonly absoluteUm: readonly number[];
}
export type ZPlan = ZTopBottom | ZRangeAround | ZAboveBelow | ZRelativePositions | ZAbsolutePositions;

// Durations are whole microseconds, as Python's timedelta keeps them, so time points match useq exactly.
interface TimePlanBase {
  readonly prioritizeDuration: boolean;
}
export interface TIntervalLoops extends TimePlanBase {
  readonly kind: 'interval_loops';
  readonly intervalUs: number;
  readonly loops: number;
}
export interface TDurationLoops extends TimePlanBase {
  readonly kind: 'duration_loops';
  readonly durationUs: number;
  readonly loops: number;
}
export interface TIntervalDuration extends TimePlanBase {
  readonly kind: 'interval_duration';
  readonly intervalUs: number;
  readonly durationUs: number;
}
export type SinglePhaseTimePlan = TIntervalLoops | TDurationLoops | TIntervalDuration;
export interface MultiPhaseTimePlan extends TimePlanBase {
  readonly kind: 'multi_phase';
  readonly phases: readonly SinglePhaseTimePlan[];
}
export type TimePlan = SinglePhaseTimePlan | MultiPhaseTimePlan;

/** Hardware autofocus whenever any of `axes` changes index. */
export interface AxesBasedAutofocus {
  readonly kind: 'axes_based';
  readonly autofocusDeviceName: string | null;
  readonly autofocusMotorOffset: number | null;
  readonly axes: readonly Axis[];
}

export interface MDASequence {
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly axisOrder: readonly Axis[];
  readonly stagePositions: readonly Position[];
  readonly gridPlan: GridPlan | null;
  readonly channels: readonly Channel[];
  readonly timePlan: TimePlan | null;
  readonly zPlan: ZPlan | null;
  readonly autofocusPlan: AxesBasedAutofocus | null;
  readonly keepShutterOpenAcross: readonly Axis[];
  /** useq's setup event (device properties, ROI) for the engine; never expanded into events. */
  readonly setup: Readonly<Record<string, unknown>> | null;
}

/** Field of view used for grid plans that give none (camera size × pixel size, as pymmcore-plus does). */
export interface ExpansionOptions {
  readonly fovWidthUm?: number;
  readonly fovHeightUm?: number;
}
