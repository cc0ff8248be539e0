import { runScope, type ScopeResult } from '../../test/support/scope-cli';
import { COMMANDS, isGroup } from './command-table';

/** Every command line the table offers: each command, and each subcommand of a group. */
const COMMAND_LINES = Object.entries(COMMANDS).flatMap(([name, entry]) =>
  isGroup(entry) ? [name, ...Object.keys(entry.subcommands).map((sub) => `${name} ${sub}`)] : [name],
);

const usageLine = (help: string) => help.split('\n')[0];
/** The options the help lists, one per line under "options:". */
const listedOptions = (help: string) => [...help.matchAll(/^ {2}(--[a-z][a-z-]*)/gm)].map((m) => m[1]).sort();
const namedOptions = (text: string) => [...new Set(text.match(/--[a-z][a-z-]*/g) ?? [])].sort();

/** Runs the real `scope` processes a few at a time (each starts ts-node; the machine may be shared). */
async function runAll(lines: readonly string[], extra: readonly string[]): Promise<Map<string, ScopeResult>> {
  const results = new Map<string, ScopeResult>();
  const queue = [...lines];
  const worker = async () => {
    for (let line = queue.shift(); line !== undefined; line = queue.shift())
      results.set(line, await runScope([...line.split(' '), ...extra], 120_000));
  };
  await Promise.all([worker(), worker(), worker()]);
  return results;
}

describe('scope: every command in the table (the real bin/scope.js)', () => {
  let help: Map<string, ScopeResult>;
  let unknown: Map<string, ScopeResult>;

  beforeAll(async () => {
    help = await runAll(COMMAND_LINES, ['--help']);
    unknown = await runAll(COMMAND_LINES, ['--no-such-option', 'x']);
  }, 300_000);

  it.each(COMMAND_LINES)('`scope %s --help` exits 0 with its usage and every option it takes', (line) => {
    const result = help.get(line)!;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(usageLine(result.stdout)).toMatch(new RegExp(`^usage: scope ${line}\\b`));
    const entry = COMMANDS[line.split(' ')[0]];
    if (isGroup(entry) && !line.includes(' ')) {
      for (const sub of Object.keys(entry.subcommands)) expect(result.stdout).toMatch(new RegExp(`^ {2}${sub}\\b`, 'm'));
      return;
    }
    // The hand-written usage line and the options the command validates name the same options.
    expect(listedOptions(result.stdout)).toEqual([...namedOptions(usageLine(result.stdout)), '--help'].sort());
  });

  it.each(COMMAND_LINES)('`scope %s --no-such-option x` exits 2 and names the option', (line) => {
    const result = unknown.get(line)!;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--no-such-option');
    expect(result.stdout).toBe('');
  });
});
