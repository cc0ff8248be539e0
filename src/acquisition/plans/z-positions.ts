import type { IndexedList } from './plan-geometry';
import type { ZPlan } from './plan-types';

function startStopStep(plan: Exclude<ZPlan, { kind: 'relative_positions' | 'absolute_positions' }>): [number, number, number] {
  switch (plan.kind) {
    case 'top_bottom':
      return [plan.bottomUm, plan.topUm, plan.stepUm];
    case 'range_around':
      return [-plan.rangeUm / 2, plan.rangeUm / 2, plan.stepUm];
    case 'above_below':
      return [-Math.abs(plan.belowUm), Math.abs(plan.aboveUm), plan.stepUm];
  }
}

/**
 * The planes a z plan visits, in visiting order, computed as numpy's `arange(start, stop + step / 2, step)` does
 * (start, start + step, then start + i·((start + step) − start)) so that positions equal useq's to the last bit.
 */
export function zPlanPositions(plan: ZPlan): IndexedList<number> {
  const ascending = ascendingPositions(plan);
  if (plan.goUp) return ascending;
  const last = ascending.length - 1;
  return { length: ascending.length, at: (i) => ascending.at(last - i) };
}

function ascendingPositions(plan: ZPlan): IndexedList<number> {
  if (plan.kind === 'relative_positions' || plan.kind === 'absolute_positions') {
    const values = plan.kind === 'relative_positions' ? plan.relativeUm : plan.absoluteUm;
    return { length: values.length, at: (i) => values[i] };
  }
  const [start, stop, step] = startStopStep(plan);
  if (step === 0) return { length: 1, at: () => start };
  const length = Math.max(0, Math.ceil((stop + step / 2 - start) / step));
  const second = start + step;
  const delta = second - start;
  return { length, at: (i) => (i === 0 ? start : i === 1 ? second : start + i * delta) };
}

/**
 * useq's `ZPlan.num_positions()`, used by its duration estimate and to pick the middle plane for channels that
 * skip the stack. It can differ from the number of planes actually visited when the step does not divide the range.
 */
export function zPlanCountForEstimate(plan: ZPlan): number {
  if (plan.kind === 'relative_positions') return plan.relativeUm.length;
  if (plan.kind === 'absolute_positions') return plan.absoluteUm.length;
  const [start, stop, step] = startStopStep(plan);
  if (step === 0) return 1;
  const steps = (stop + step - start) / step;
  // Python's round(steps, 6) then ceil; toFixed rounds the exact binary value like Python does.
  return Math.ceil(Number(steps.toFixed(6)));
}
