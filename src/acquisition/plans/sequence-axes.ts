import { gridPoints, type GridPoint } from './grid-positions';
import { listOf, type IndexedList } from './plan-geometry';
import type { Axis, Channel, ExpansionOptions, MDASequence, Position } from './plan-types';
import { timePlanPoints } from './time-points';
import { zPlanPositions } from './z-positions';

const EMPTY: IndexedList<never> = { length: 0, at: () => undefined as never };

/** What one sequence iterates over on each axis, and which of its axes are used (non-empty, in its axis order). */
export interface SequenceAxes {
  readonly timesS: IndexedList<number>;
  readonly positions: IndexedList<Position>;
  readonly grid: IndexedList<GridPoint>;
  readonly channels: IndexedList<Channel>;
  readonly zUm: IndexedList<number>;
  readonly used: readonly Axis[];
}

export function sequenceAxes(sequence: MDASequence, options: ExpansionOptions): SequenceAxes {
  const axes = {
    timesS: sequence.timePlan ? timePlanPoints(sequence.timePlan) : EMPTY,
    positions: listOf(sequence.stagePositions),
    grid: sequence.gridPlan ? gridPoints(sequence.gridPlan, options) : EMPTY,
    channels: listOf(sequence.channels),
    zUm: sequence.zPlan ? zPlanPositions(sequence.zPlan) : EMPTY,
  };
  const sizes = axisSizesOf(axes);
  return { ...axes, used: sequence.axisOrder.filter((axis) => sizes[axis] > 0) };
}

function axisSizesOf(axes: Omit<SequenceAxes, 'used'>): Record<Axis, number> {
  return {
    t: axes.timesS.length,
    p: axes.positions.length,
    g: axes.grid.length,
    c: axes.channels.length,
    z: axes.zUm.length,
  };
}

/** useq's `sizes`: the length of each axis in the sequence's axis order (0 for an axis without a plan). */
export function axisSizes(sequence: MDASequence, options: ExpansionOptions = {}): Readonly<Partial<Record<Axis, number>>> {
  const sizes = axisSizesOf(sequenceAxes(sequence, options));
  return Object.fromEntries(sequence.axisOrder.map((axis) => [axis, sizes[axis]]));
}

/** useq's `_has_axes`: whether a position's sub-sequence has anything to iterate (else it is not recursed into). */
export function hasAxes(sequence: MDASequence | null): sequence is MDASequence {
  return (
    sequence !== null &&
    (sequence.timePlan !== null ||
      sequence.stagePositions.length > 0 ||
      sequence.zPlan !== null ||
      sequence.channels.length > 0 ||
      sequence.gridPlan !== null)
  );
}
