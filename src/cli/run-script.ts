import { exitCodeFor, EXIT } from './exit-codes';
import { parseOptions, type CommandLine, type OptionsSchema } from './options';
import { HelpRequested } from './usage-error';

/**
 * parseOptions for a script that reads its options at the top of the module (bench/): --help prints and exits 0,
 * a usage error prints and exits 2, before anything else runs.
 */
export function scriptOptions<S extends OptionsSchema>(name: string, argv: readonly string[], schema: S, usage: string): CommandLine<S> {
  try {
    return parseOptions(argv, schema, usage);
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(err.text);
      process.exit(EXIT.ok);
    }
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
    process.exit(EXIT.usage);
  }
}

/**
 * Runs a script's (scripts/, bench/) main with the `scope` commands' --help and exit codes: help on stdout and 0,
 * usage errors 2, configuration errors 78, other failures 1 with their stack (a script's failure is for developers).
 */
export function runScript(name: string, main: () => Promise<void>): void {
  main().then(
    () => undefined,
    (err: unknown) => {
      if (err instanceof HelpRequested) {
        process.stdout.write(err.text);
        process.exit(0);
      }
      const code = err instanceof Error ? exitCodeFor(err) : 1;
      const text = err instanceof Error ? (code === 1 ? (err.stack ?? err.message) : err.message) : String(err);
      process.stderr.write(`${name}: ${text}\n`);
      process.exit(code);
    },
  );
}
