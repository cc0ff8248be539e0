import { parsePyYaml } from './pyyaml-compat';
import { formatIssuePath, PlanSyntaxError, PlanValidationError } from './plan-errors';
import type { MDASequence } from './plan-types';
import { sequenceSchema } from './schema/sequence';

export type PlanFormat = 'json' | 'yaml';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Checks a plan object (useq-schema's MDASequence as JSON data) and returns it normalised and deep-frozen.
 * Throws PlanValidationError listing every problem with its field path.
 */
export function validatePlan(input: unknown, source?: string): MDASequence {
  const result = sequenceSchema.safeParse(input);
  if (!result.success) {
    throw new PlanValidationError(
      result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
      source,
    );
  }
  return deepFreeze(result.data);
}

/**
 * Reads a plan from JSON or YAML text (YAML 1.1, as PyYAML writes useq's `.yaml()`). Without a hint, text that
 * starts with `{` is read as JSON, anything else as YAML. Throws PlanSyntaxError or PlanValidationError.
 */
export function parsePlan(text: string, formatHint?: PlanFormat, source?: string): MDASequence {
  const format: PlanFormat = formatHint ?? (text.trimStart().startsWith('{') ? 'json' : 'yaml');
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(text) : parsePyYaml(text);
  } catch (error) {
    throw new PlanSyntaxError(format, error instanceof Error ? error.message : String(error));
  }
  // An empty YAML document is an empty plan, as useq reads it.
  return validatePlan(data ?? {}, source);
}
