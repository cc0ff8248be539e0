/**
 * `npm run bench -- <name> [args]` runs bench/<name>.ts, which prints one JSON line per case on stdout.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !existsSync(join(__dirname, `${name}.ts`))) {
  process.stderr.write(`usage: npm run bench -- <name>; available: ${available.join(', ') || '(none yet)'}\n`);
  process.exit(2);
}
process.argv = [process.argv[0], join(__dirname, `${name}.ts`), ...rest];
require(join(__dirname, `${name}.ts`));
