/** `scope <command> …`: headless entry points for scripts and facilities. */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Command = (args: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {};

export function registerCommand(name: string, summary: string, load: () => Promise<Command>): void {
  COMMANDS[name] = { summary, load };
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`);
  return `usage: scope <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  require('./commands');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`scope: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`scope ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
