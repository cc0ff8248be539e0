import type { GridPlan, ZPlan } from './plan-types';

/** A random-access list computed on demand, so that long axes never need to be materialised. */
export interface IndexedList<T> {
  readonly length: number;
  at(index: number): T;
}

export function listOf<T>(items: readonly T[]): IndexedList<T> {
  return { length: items.length, at: (index) => items[index] };
}

/** Relative grids are offsets from the current position; absolute ones (GridFromEdges) are stage coordinates. */
export function isRelativeGrid(plan: GridPlan): boolean {
  return plan.kind !== 'from_edges';
}

/** Relative z plans are offsets from the position's z; ZTopBottom and ZAbsolutePositions are stage coordinates. */
export function isRelativeZ(plan: ZPlan): boolean {
  return plan.kind !== 'top_bottom' && plan.kind !== 'absolute_positions';
}
