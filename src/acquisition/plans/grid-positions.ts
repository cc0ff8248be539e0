import { FieldOfViewRequiredError } from './plan-errors';
import { isRelativeGrid, listOf, type IndexedList } from './plan-geometry';
import type { ExpansionOptions, GridPlan, OrderMode } from './plan-types';
import { randomPointsOf } from './random-points';

/** One tile of a grid: an offset from the position (relative grids) or a stage coordinate (absolute grids). */
export interface GridPoint {
  readonly xUm: number;
  readonly yUm: number;
  readonly isRelative: boolean;
}

type TiledGrid = Extract<GridPlan, { kind: 'rows_columns' | 'from_edges' | 'width_height' }>;

/** The plan's field of view, else the camera's (pymmcore-plus fills it in from camera size × pixel size). */
export function effectiveFov(plan: GridPlan, options: ExpansionOptions): { widthUm: number | null; heightUm: number | null } {
  return { widthUm: plan.fovWidthUm ?? options.fovWidthUm ?? null, heightUm: plan.fovHeightUm ?? options.fovHeightUm ?? null };
}

export function gridPoints(plan: GridPlan, options: ExpansionOptions): IndexedList<GridPoint> {
  if (plan.kind === 'relative_position') return listOf([{ xUm: plan.xUm, yUm: plan.yUm, isRelative: true }]);
  if (plan.kind === 'random_points') {
    const fov = effectiveFov(plan, options);
    const points = randomPointsOf({ ...plan, fovWidthUm: fov.widthUm, fovHeightUm: fov.heightUm });
    return listOf(points.map(([xUm, yUm]) => ({ xUm, yUm, isRelative: true })));
  }
  const layout = tileLayout(plan, options);
  const cell = cellOrder(plan.mode, layout.rows, layout.columns);
  const isRelative = isRelativeGrid(plan);
  return {
    length: layout.rows * layout.columns,
    at: (i) => {
      const [row, column] = cell(i);
      return { xUm: layout.x0 + column * layout.dx, yUm: layout.y0 - row * layout.dy, isRelative };
    },
  };
}

/** useq's `num_positions()`, used by its duration estimate; area-sized grids need a field of view for it. */
export function gridCountForEstimate(plan: GridPlan, options: ExpansionOptions): number {
  if (plan.kind === 'relative_position') return 1;
  if (plan.kind === 'random_points') return plan.numPoints;
  const fov = effectiveFov(plan, options);
  if ((fov.widthUm === null || fov.heightUm === null) && plan.kind !== 'rows_columns') {
    throw new FieldOfViewRequiredError(plan.kind === 'from_edges' ? 'GridFromEdges' : 'GridWidthHeight');
  }
  const layout = tileLayout(plan, options);
  return layout.rows * layout.columns;
}

interface TileLayout {
  readonly rows: number;
  readonly columns: number;
  readonly dx: number;
  readonly dy: number;
  readonly x0: number;
  readonly y0: number;
}

function tileLayout(plan: TiledGrid, options: ExpansionOptions): TileLayout {
  const fov = effectiveFov(plan, options);
  const fovW = fov.widthUm ?? 1;
  const fovH = fov.heightUm ?? 1;
  const dx = fovW - (fovW * plan.overlapPercent[0]) / 100;
  const dy = fovH - (fovH * plan.overlapPercent[1]) / 100;
  switch (plan.kind) {
    case 'rows_columns': {
      const centred = plan.relativeTo === 'center';
      return {
        rows: plan.rows,
        columns: plan.columns,
        dx,
        dy,
        x0: centred ? -((plan.columns - 1) * dx) / 2 : 0,
        y0: centred ? ((plan.rows - 1) * dy) / 2 : 0,
      };
    }
    case 'width_height': {
      const rows = Math.ceil(plan.heightUm / dy);
      const columns = Math.ceil(plan.widthUm / dx);
      const centred = plan.relativeTo === 'center';
      return { rows, columns, dx, dy, x0: centred ? -((columns - 1) * dx) / 2 : 0, y0: centred ? ((rows - 1) * dy) / 2 : 0 };
    }
    case 'from_edges':
      return {
        rows: tilesToCover(Math.abs(plan.topUm - plan.bottomUm), fov.heightUm, dy),
        columns: tilesToCover(Math.abs(plan.rightUm - plan.leftUm), fov.widthUm, dx),
        dx,
        dy,
        // tile centres start half a field of view inside the top-left edge
        x0: Math.min(plan.leftUm, plan.rightUm) + (fov.widthUm ?? 0) / 2,
        y0: Math.max(plan.topUm, plan.bottomUm) - (fov.heightUm ?? 0) / 2,
      };
  }
}

function tilesToCover(spanUm: number, fovUm: number | null, stepUm: number): number {
  if (fovUm === null) return Math.ceil((spanUm + stepUm) / stepUm);
  if (spanUm <= fovUm) return 1;
  return Math.ceil((spanUm - fovUm) / stepUm) + 1;
}

/** Maps a visiting number to [row, column], row 0 at the top, in the plan's order mode. */
function cellOrder(mode: OrderMode, rows: number, columns: number): (i: number) => readonly [number, number] {
  switch (mode) {
    case 'row_wise':
      return (i) => [Math.floor(i / columns), i % columns];
    case 'row_wise_snake':
      return (i) => {
        const row = Math.floor(i / columns);
        const column = i % columns;
        return [row, row % 2 === 1 ? columns - 1 - column : column];
      };
    case 'column_wise':
      return (i) => [i % rows, Math.floor(i / rows)];
    case 'column_wise_snake':
      return (i) => {
        const column = Math.floor(i / rows);
        const row = i % rows;
        return [column % 2 === 1 ? rows - 1 - row : row, column];
      };
    case 'spiral': {
      const cells = spiralCells(rows, columns);
      return (i) => cells[i];
    }
  }
}

/** useq's spiral: from the centre cell, first one step "down" in index space, then turning clockwise. */
function spiralCells(rows: number, columns: number): Array<readonly [number, number]> {
  const cells: Array<readonly [number, number]> = [];
  const xShift = Math.floor((columns - 1) / 2);
  const yShift = Math.floor((rows - 1) / 2);
  let [x, y, dx, dy] = [0, 0, 0, -1];
  const steps = Math.max(columns, rows) ** 2;
  for (let step = 0; step < steps; step++) {
    if (-columns / 2 < x && x <= columns / 2 && -rows / 2 < y && y <= rows / 2) cells.push([y + yShift, x + xShift]);
    if (x === y || (x < 0 && x === -y) || (x > 0 && x === 1 - y)) [dx, dy] = [-dy, dx];
    [x, y] = [x + dx, y + dy];
  }
  return cells;
}
