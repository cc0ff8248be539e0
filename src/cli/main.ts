/** `scope <command> …`: headless entry points for scripts and facilities. */
import { COMMANDS, isGroup, type CommandEntry, type CommandGroup } from './command-table';
import { exitCodeFor, EXIT } from './exit-codes';
import { HelpRequested, UsageError } from './usage-error';

function listing(entries: Readonly<Record<string, { summary: string }>>): string {
  return Object.entries(entries)
    .map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`)
    .join('\n');
}

const usage = () => `usage: scope <command> [options]   (scope <command> --help for its options)\n\ncommands:\n${listing(COMMANDS)}\n`;

function groupUsage(label: string, group: CommandGroup): string {
  return `usage: ${label} <${Object.keys(group.subcommands).join('|')}> [options]\n\n${listing(group.subcommands)}\n${group.note ? `${group.note}\n` : ''}`;
}

/** The subcommand the arguments name; `--help` (or nothing, or an unknown name) answers with the group's usage. */
function subcommand(label: string, group: CommandGroup, args: readonly string[]): [string, CommandEntry] {
  const [what] = args;
  if (what === '--help' || what === '-h') throw new HelpRequested(groupUsage(label, group));
  const entry = what === undefined ? undefined : group.subcommands[what];
  if (!entry)
    throw new UsageError(
      `${what === undefined ? '' : `cannot ${label.split(' ').pop()} "${what}"\n`}${groupUsage(label, group).trimEnd()}`,
    );
  return [what!, entry];
}

async function run(label: string, entry: CommandEntry | CommandGroup, args: readonly string[]): Promise<number> {
  if (!isGroup(entry)) return (await entry.load())(args);
  const [name, sub] = subcommand(label, entry, args);
  return run(`${label} ${name}`, sub, args.slice(1));
}

/** Runs one command with the one exit-code policy (exit-codes.ts); messages go to stderr prefixed by the command. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`scope: unknown command "${name}"\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await run(`scope ${name}`, entry, rest);
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(err.text);
      return EXIT.ok;
    }
    if (!(err instanceof Error)) throw err;
    process.stderr.write(`scope ${name}: ${err.message}\n`);
    return exitCodeFor(err);
  }
}
