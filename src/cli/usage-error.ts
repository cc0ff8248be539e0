/**
 * A command line that cannot run: an unknown or invalid option, a missing argument, a file or model it names that
 * is not there. `scope` prints the message (which ends with the usage) and exits 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `--help` on a command or subcommand: `scope` prints `text` on stdout and exits 0 without running anything. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';

  constructor(readonly text: string) {
    super('help requested');
  }
}
