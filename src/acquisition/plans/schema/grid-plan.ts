import { z } from 'zod';
import type { GridPlan } from '../plan-types';
import { boolean, float, integer, isPlainObject, planUnion, positiveFloat } from './fields';

// useq leaves the field of view unchecked; a zero or negative one has no meaning for tiling, so it is refused.
const fovFields = {
  fov_width: positiveFloat()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  fov_height: positiveFloat()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
};

const overlapSchema = z
  .unknown()
  .optional()
  .transform((value, ctx): readonly [number, number] => {
    const pair = value === undefined || value === null ? [0, 0] : Array.isArray(value) ? value : [value, value];
    const numbers = pair.map((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v));
    if (numbers.length !== 2 || !numbers.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) {
      ctx.addIssue({ code: 'custom', message: 'must be a number or [x, y] numbers (percent)' });
      return z.NEVER;
    }
    // 100 % overlap or more would make a zero or backwards step between tiles.
    if (numbers.some((v) => v >= 100)) {
      ctx.addIssue({ code: 'custom', message: 'must be < 100 (percent)' });
      return z.NEVER;
    }
    return [numbers[0], numbers[1]];
  });

const orderMode = z
  .enum(['row_wise', 'column_wise', 'row_wise_snake', 'column_wise_snake', 'spiral'], {
    error: 'must be one of row_wise, column_wise, row_wise_snake, column_wise_snake, spiral',
  })
  .optional()
  .transform((v) => v ?? 'row_wise_snake');

const relativeTo = z
  .enum(['center', 'top_left'], { error: 'must be center or top_left' })
  .optional()
  .transform((v) => v ?? 'center');

const tiled = { ...fovFields, overlap: overlapSchema, mode: orderMode };

const rowsColumns = z
  .object({
    ...tiled,
    rows: integer((n) => n.gte(1, { error: 'must be >= 1' })),
    columns: integer((n) => n.gte(1, { error: 'must be >= 1' })),
    relative_to: relativeTo,
  })
  .transform((v): GridPlan => ({
    kind: 'rows_columns',
    fovWidthUm: v.fov_width,
    fovHeightUm: v.fov_height,
    overlapPercent: v.overlap,
    mode: v.mode,
    rows: v.rows,
    columns: v.columns,
    relativeTo: v.relative_to,
  }));

const fromEdges = z.object({ ...tiled, top: float(), left: float(), bottom: float(), right: float() }).transform((v): GridPlan => ({
  kind: 'from_edges',
  fovWidthUm: v.fov_width,
  fovHeightUm: v.fov_height,
  overlapPercent: v.overlap,
  mode: v.mode,
  topUm: v.top,
  leftUm: v.left,
  bottomUm: v.bottom,
  rightUm: v.right,
}));

const widthHeight = z
  .object({ ...tiled, width: positiveFloat(), height: positiveFloat(), relative_to: relativeTo })
  .transform((v): GridPlan => ({
    kind: 'width_height',
    fovWidthUm: v.fov_width,
    fovHeightUm: v.fov_height,
    overlapPercent: v.overlap,
    mode: v.mode,
    widthUm: v.width,
    heightUm: v.height,
    relativeTo: v.relative_to,
  }));

const startAt = z
  .unknown()
  .optional()
  .transform((value, ctx): number | { xUm: number; yUm: number } => {
    if (value === undefined) return 0;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    if (isPlainObject(value) || Array.isArray(value)) {
      const [x, y] = Array.isArray(value) ? value : [value.x ?? 0, value.y ?? 0];
      if (typeof x === 'number' && typeof y === 'number') return { xUm: x, yUm: y };
    }
    ctx.addIssue({ code: 'custom', message: 'must be a point index >= 0 or a position {x, y}' });
    return z.NEVER;
  });

const randomPoints = z
  .object({
    ...fovFields,
    num_points: integer((n) => n.gt(0, { error: 'must be > 0' })),
    max_width: positiveFloat()
      .optional()
      .transform((v) => v ?? 1),
    max_height: positiveFloat()
      .optional()
      .transform((v) => v ?? 1),
    shape: z.enum(['ellipse', 'rectangle'], { error: 'must be ellipse or rectangle' }).optional(),
    random_seed: integer((n) =>
      n.gte(0, { error: 'must be between 0 and 2**32 - 1' }).lte(2 ** 32 - 1, { error: 'must be between 0 and 2**32 - 1' }),
    )
      .nullable()
      .optional(),
    allow_overlap: boolean(true),
    order: z
      .enum(['nearest_neighbor', 'two_opt', 'random'], { error: 'must be nearest_neighbor, two_opt or random' })
      .nullable()
      .optional(),
    start_at: startAt,
  })
  .transform((v): GridPlan => ({
    kind: 'random_points',
    fovWidthUm: v.fov_width,
    fovHeightUm: v.fov_height,
    numPoints: v.num_points,
    maxWidthUm: v.max_width,
    maxHeightUm: v.max_height,
    shape: v.shape ?? 'ellipse',
    randomSeed: v.random_seed ?? null,
    allowOverlap: v.allow_overlap,
    order: v.order === undefined ? 'two_opt' : v.order,
    // useq clamps a start index past the last point to the last point (with a warning).
    startAt: typeof v.start_at === 'number' ? Math.min(v.start_at, v.num_points - 1) : v.start_at,
  }));

const relativePosition = z
  .object({ ...fovFields, x: float().optional(), y: float().optional(), z: float().optional() })
  .transform((v): GridPlan => ({
    kind: 'relative_position',
    fovWidthUm: v.fov_width,
    fovHeightUm: v.fov_height,
    xUm: v.x ?? 0,
    yUm: v.y ?? 0,
    zUm: v.z ?? 0,
  }));

const polygonRefused = z.custom<GridPlan>(() => false, {
  error: 'GridFromPolygon (vertices) is not supported by this controller',
});

/**
 * useq's MultiPointPlan, tried left to right: GridFromEdges, GridFromPolygon, GridRowsColumns, GridWidthHeight,
 * RandomPoints, and a single RelativePosition when none of their fields is given.
 */
export const gridPlanSchema = planUnion<GridPlan>(
  'grid plan',
  [
    { fields: ['top', 'left', 'bottom', 'right'], required: ['top', 'left', 'bottom', 'right'], schema: fromEdges },
    { fields: ['vertices'], required: ['vertices'], schema: polygonRefused },
    { fields: ['rows', 'columns'], required: ['rows', 'columns'], schema: rowsColumns },
    { fields: ['width', 'height'], required: ['width', 'height'], schema: widthHeight },
    { fields: ['num_points'], required: ['num_points'], schema: randomPoints },
  ],
  { mode: 'first', fallback: relativePosition },
);
