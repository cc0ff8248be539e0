/** One problem found in a plan: where (useq's field path, e.g. `stage_positions[1].sequence.z_plan.step`) and what. */
export interface PlanIssue {
  readonly path: string;
  readonly message: string;
}

/** The plan is well-formed JSON/YAML but not a plan useq-schema (or this controller) accepts. */
export class PlanValidationError extends Error {
  override readonly name = 'PlanValidationError';
  readonly issues: readonly PlanIssue[];

  constructor(issues: readonly PlanIssue[], source = 'acquisition plan') {
    super(`invalid ${source}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }
}

/** The plan text is not valid JSON or YAML at all. */
export class PlanSyntaxError extends Error {
  override readonly name = 'PlanSyntaxError';

  constructor(
    readonly format: 'json' | 'yaml',
    detail: string,
  ) {
    super(`acquisition plan is not valid ${format.toUpperCase()}: ${detail}`);
  }
}

/**
 * A grid plan sized by its area (GridFromEdges, GridWidthHeight) needs a field of view to count its tiles, and
 * neither the plan nor the caller gave one (useq-schema raises here too).
 */
export class FieldOfViewRequiredError extends Error {
  override readonly name = 'FieldOfViewRequiredError';

  constructor(readonly gridKind: string) {
    super(`the ${gridKind} grid plan needs fov_width and fov_height (in the plan or from the camera) to count its tiles`);
  }
}

/** Formats a zod-style path as useq's field path: `stage_positions[1].sequence.z_plan.step`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(plan)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}
