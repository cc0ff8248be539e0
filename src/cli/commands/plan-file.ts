import { readFileSync } from 'node:fs';
import { parsePlan, PlanSyntaxError, PlanValidationError } from '../../acquisition/plans';
import { UsageError } from '../usage-error';

/** A plan file named on the command line (JSON or YAML by its extension); unreadable or invalid is a usage error. */
export function readPlanFile(file: string): ReturnType<typeof parsePlan> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read plan ${file}: ${(err as Error).message}`);
  }
  try {
    return parsePlan(text, file.endsWith('.json') ? 'json' : /\.ya?ml$/.test(file) ? 'yaml' : undefined, file);
  } catch (err) {
    if (err instanceof PlanValidationError || err instanceof PlanSyntaxError) throw new UsageError(err.message);
    throw err;
  }
}
