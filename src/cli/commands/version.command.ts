import { z } from 'zod';
import { parseOptions } from '../options';
import { UsageError } from '../usage-error';

const USAGE = 'scope version';

/** `scope version`: the package version on stdout. */
export async function versionCommand(argv: readonly string[]): Promise<number> {
  const { positional } = parseOptions(argv, z.object({}), USAGE);
  if (positional.length > 0) throw new UsageError(`usage: ${USAGE}`);
  process.stdout.write(`${(require('../../../package.json') as { version: string }).version}\n`);
  return 0;
}
