import type { GridPoint } from './grid-positions';
import { isRelativeGrid, isRelativeZ } from './plan-geometry';
import type { Channel, Position, ZPlan } from './plan-types';
import { zPlanCountForEstimate } from './z-positions';

/**
 * The per-event rules of useq-schema's `_iter_sequence`, kept apart from the loop that applies them. They are
 * useq's rules exactly, quirks included, so that our events equal useq's for the same plan.
 */

export interface StagePositionUm {
  xPosUm: number | null;
  yPosUm: number | null;
  zPosUm: number | null;
}

/** Whether useq leaves this combination of axis values out. */
export function shouldSkip(
  position: Position | null,
  channel: Channel | null,
  index: Readonly<Record<string, number>>,
  zPlan: ZPlan | null,
): boolean {
  if (channel) {
    if (index.t !== undefined && index.t % channel.acquireEvery !== 0) return true;
    // A channel outside the stack is taken at useq's middle plane only.
    if (!channel.doStack && zPlan !== null && index.z !== undefined && index.z !== Math.floor(zPlanCountForEstimate(zPlan) / 2)) {
      return true;
    }
  }
  const sub = position?.sequence ?? null;
  if (sub === null || sub.autofocusPlan !== null) return false;
  const subHasPlans = sub.gridPlan !== null || sub.zPlan !== null || sub.timePlan !== null;
  // The sub-sequence replaces the outer channel / z / grid loops at this position: keep only their first value.
  if ((index.c ?? 0) !== 0 && ((sub.channels.length > 0 && subHasPlans) || !subHasPlans)) return true;
  if (index.z !== undefined && index.z !== 0 && sub.zPlan !== null) return true;
  if (index.g !== undefined && index.g !== 0 && sub.gridPlan !== null) return true;
  return false;
}

/** Stage coordinates of an event from its position, grid tile, z plane and channel offset. */
export function stagePositionOf(
  position: Position | null,
  channel: Channel | null,
  zPlan: ZPlan | null,
  grid: GridPoint | null,
  planeUm: number | undefined,
): StagePositionUm {
  let zPosUm: number | null = null;
  if (planeUm !== undefined) {
    zPosUm = planeUm;
    if (channel) zPosUm += channel.zOffsetUm;
    if (zPlan && isRelativeZ(zPlan)) zPosUm += position?.zUm ?? 0;
  } else if (position) {
    zPosUm = position.zUm;
  }
  if (grid) {
    if (!grid.isRelative) return { xPosUm: grid.xUm, yPosUm: grid.yUm, zPosUm };
    return { xPosUm: grid.xUm + (position?.xUm ?? 0), yPosUm: grid.yUm + (position?.yUm ?? 0), zPosUm };
  }
  return { xPosUm: position?.xUm ?? null, yPosUm: position?.yUm ?? null, zPosUm };
}

/**
 * How a position hands its coordinates to its sub-sequence: axes the sub-sequence does not plan are fixed to the
 * outer event's values; relative sub-plans are shifted by the position.
 */
export function subSequenceCoordinates(
  position: Position,
  outer: StagePositionUm,
): { fixed: Partial<StagePositionUm>; offsets: Partial<Record<keyof StagePositionUm, number>> } {
  const sub = position.sequence;
  const fixed: Partial<StagePositionUm> = {};
  const offsets: Partial<Record<keyof StagePositionUm, number>> = {};
  if (!sub?.zPlan) fixed.zPosUm = outer.zPosUm;
  else if (isRelativeZ(sub.zPlan)) offsets.zPosUm = position.zUm ?? 0;
  if (!sub?.gridPlan) {
    fixed.xPosUm = outer.xPosUm;
    fixed.yPosUm = outer.yPosUm;
  } else if (isRelativeGrid(sub.gridPlan)) {
    offsets.xPosUm = position.xUm ?? 0;
    offsets.yPosUm = position.yUm ?? 0;
  }
  return { fixed, offsets };
}
