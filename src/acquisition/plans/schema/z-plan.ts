import { z } from 'zod';
import type { ZPlan } from '../plan-types';
import { boolean, float, nonNegativeFloat, planUnion } from './fields';

// useq does not check steps; a negative step or an inverted range would silently give no planes, so we refuse them.
const step = () => nonNegativeFloat();
const goUp = () => boolean(true);
const floatList = () => z.array(float(), { error: 'must be a list of numbers' });

const topBottom = z
  .object({ top: float(), bottom: float(), step: step(), go_up: goUp() })
  .refine((v) => v.top >= v.bottom, { message: 'must be >= bottom', path: ['top'] })
  .transform((v): ZPlan => ({ kind: 'top_bottom', topUm: v.top, bottomUm: v.bottom, stepUm: v.step, goUp: v.go_up }));

const aboveBelow = z
  .object({ above: float(), below: float(), step: step(), go_up: goUp() })
  .transform((v): ZPlan => ({ kind: 'above_below', aboveUm: v.above, belowUm: v.below, stepUm: v.step, goUp: v.go_up }));

const rangeAround = z
  .object({ range: nonNegativeFloat(), step: step(), go_up: goUp() })
  .transform((v): ZPlan => ({ kind: 'range_around', rangeUm: v.range, stepUm: v.step, goUp: v.go_up }));

const absolutePositions = z
  .object({ absolute: floatList(), go_up: goUp() })
  .transform((v): ZPlan => ({ kind: 'absolute_positions', absoluteUm: v.absolute, goUp: v.go_up }));

const relativePositions = z
  .object({ relative: floatList(), go_up: goUp() })
  .transform((v): ZPlan => ({ kind: 'relative_positions', relativeUm: v.relative, goUp: v.go_up }));

/** useq's AnyZPlan, tried in its order: ZTopBottom, ZAboveBelow, ZRangeAround, ZAbsolutePositions, ZRelativePositions. */
export const zPlanSchema = planUnion<ZPlan>(
  'z plan',
  [
    { fields: ['top', 'bottom', 'step', 'go_up'], required: ['top', 'bottom', 'step'], schema: topBottom },
    { fields: ['above', 'below', 'step', 'go_up'], required: ['above', 'below', 'step'], schema: aboveBelow },
    { fields: ['range', 'step', 'go_up'], required: ['range', 'step'], schema: rangeAround },
    { fields: ['absolute', 'go_up'], required: ['absolute'], schema: absolutePositions },
    { fields: ['relative', 'go_up'], required: ['relative'], schema: relativePositions },
  ],
  { mode: 'smart' },
);
