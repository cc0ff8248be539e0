import { z } from 'zod';
import { AXES, type Axis, type MDASequence, type Position, type PropertyTuple } from '../plan-types';
import { isRelativeGrid, isRelativeZ } from '../plan-geometry';
import { autofocusPlanSchema } from './autofocus-plan';
import { channelListSchema } from './channel';
import { axisList, isPlainObject, nullableFloat, nullableText, text } from './fields';
import { gridPlanSchema } from './grid-plan';
import { timePlanSchema } from './time-plan';
import { zPlanSchema } from './z-plan';

const propertyTuple = z
  .union([z.tuple([text(), text(), z.unknown()]), z.object({ device_name: text(), property_name: text(), property_value: z.unknown() })], {
    error: 'must be [device, property, value]',
  })
  .transform((v): PropertyTuple => (Array.isArray(v) ? [v[0], v[1], v[2]] : [v.device_name, v.property_name, v.property_value]));

const positionObject = z
  .object(
    {
      x: nullableFloat(),
      y: nullableFloat(),
      z: nullableFloat(),
      name: nullableText(),
      sequence: z
        .lazy(() => sequenceSchema)
        .nullable()
        .optional(),
      properties: z.array(propertyTuple, { error: 'must be a list of [device, property, value]' }).nullable().optional(),
    },
    { error: 'must be a position {x, y, z, name, sequence} or [x, y, z]' },
  )
  .transform((v): Position => {
    const sequence = v.sequence ?? null;
    // useq ignores x/y of a position whose sub-sequence tiles an absolute grid: the grid says where to go.
    const absoluteSubGrid = sequence?.gridPlan != null && !isRelativeGrid(sequence.gridPlan);
    return {
      xUm: absoluteSubGrid ? null : v.x,
      yUm: absoluteSubGrid ? null : v.y,
      zUm: v.z,
      name: v.name,
      sequence,
      properties: v.properties ?? null,
    };
  });

/** A position: {x, y, z, name, sequence, properties} or [x, y?, z?]. */
const positionSchema = z.preprocess((value) => {
  if (!Array.isArray(value)) return value;
  const [x = null, y = null, zPos = null] = value as unknown[];
  return value.length >= 1 && value.length <= 3 ? { x, y, z: zPos } : value;
}, positionObject);

const positionListSchema = z
  .array(positionSchema, { error: 'must be a list of positions (well plate plans are not supported)' })
  .optional()
  .transform((v): readonly Position[] => v ?? []);

/** Python's `v or None`: useq reads any falsy z or time plan as none. */
const emptyToNull = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === false ||
  value === 0 ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (isPlainObject(value) && Object.keys(value).length === 0)
    ? null
    : value;

const rawSequence = z.object(
  {
    metadata: z.record(z.string(), z.unknown(), { error: 'must be a mapping' }).optional(),
    axis_order: axisList(true).optional(),
    stage_positions: positionListSchema,
    grid_plan: gridPlanSchema.nullable().optional(),
    channels: channelListSchema,
    // useq turns a list into phases before its falsy check, so [] is a time plan of no phases.
    time_plan: z.preprocess((v) => (Array.isArray(v) ? v : emptyToNull(v)), timePlanSchema.nullable()),
    z_plan: z.preprocess(emptyToNull, zPlanSchema.nullable()),
    autofocus_plan: autofocusPlanSchema.nullable().optional(),
    setup: z.record(z.string(), z.unknown(), { error: 'must be an event mapping' }).nullable().optional(),
    keep_shutter_open_across: axisList(true).optional(),
  },
  { error: 'must be a plan object (useq MDASequence)' },
);

type RawSequence = z.output<typeof rawSequence>;

/** useq's MDASequence, with its model-level checks; every issue names the field it is about. */
export const sequenceSchema: z.ZodType<MDASequence> = rawSequence
  .superRefine((raw, ctx) => checkSequence(raw, ctx))
  .transform((raw): MDASequence => {
    const gridPlan = raw.grid_plan ?? null;
    const absoluteGlobalGrid = gridPlan !== null && !isRelativeGrid(gridPlan);
    return {
      metadata: raw.metadata ?? {},
      axisOrder: raw.axis_order ?? AXES,
      // useq ignores x/y of positions when a global absolute grid says where to go (unless they tile their own grid).
      stagePositions: raw.stage_positions.map((p) => (absoluteGlobalGrid && !p.sequence?.gridPlan ? { ...p, xUm: null, yUm: null } : p)),
      gridPlan,
      channels: raw.channels,
      timePlan: raw.time_plan ?? null,
      zPlan: raw.z_plan ?? null,
      autofocusPlan: raw.autofocus_plan ?? null,
      keepShutterOpenAcross: raw.keep_shutter_open_across ?? [],
      setup: raw.setup ?? null,
    };
  });

function checkSequence(raw: RawSequence, ctx: z.RefinementCtx): void {
  const order: readonly Axis[] = raw.axis_order ?? AXES;
  const seen = new Set<string>();
  for (const axis of order) {
    if (seen.has(axis)) ctx.addIssue({ code: 'custom', path: ['axis_order'], message: `names axis ${axis} twice` });
    seen.add(axis);
  }
  const positions = raw.stage_positions;
  const zPlan = raw.z_plan ?? null;
  const before = (a: Axis, b: Axis) => order.includes(a) && order.includes(b) && order.indexOf(a) < order.indexOf(b);

  if (order.length > 0) {
    if (before('z', 'p') && zPlan && positions.some((p) => p.sequence?.zPlan)) {
      ctx.addIssue({ code: 'custom', path: ['axis_order'], message: 'z cannot come before p when a position has its own z_plan' });
    }
    if (order.includes('p')) {
      positions.forEach((p, i) => {
        if (p.sequence && p.sequence.stagePositions.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['stage_positions', i, 'sequence', 'stage_positions'],
            message: "a position's sub-sequence cannot have stage positions of its own",
          });
        }
      });
    }
    if (order.includes('z') && zPlan && !isRelativeZ(zPlan)) {
      const message = 'absolute z positions cannot be used with an autofocus plan';
      if (raw.autofocus_plan) ctx.addIssue({ code: 'custom', path: ['autofocus_plan'], message });
      positions.forEach((p, i) => {
        if (p.sequence?.autofocusPlan)
          ctx.addIssue({ code: 'custom', path: ['stage_positions', i, 'sequence', 'autofocus_plan'], message });
      });
    }
  }
  positions.forEach((p, i) => {
    if (p.sequence && p.sequence.keepShutterOpenAcross.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['stage_positions', i, 'sequence', 'keep_shutter_open_across'],
        message: "cannot be set on a position's sub-sequence",
      });
    }
  });
}
