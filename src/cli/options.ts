import { z } from 'zod';
import { HelpRequested, UsageError } from './usage-error';

/** A command's options: a zod object whose camelCase keys are the `--kebab-case` options; booleans are bare flags. */
export type OptionsSchema = z.ZodObject<z.ZodRawShape>;

export interface Tokens {
  readonly positional: string[];
  readonly options: Map<string, string | true>;
}

export interface CommandLine<S extends OptionsSchema> {
  readonly positional: string[];
  readonly options: z.infer<S>;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * `--name value`, `--name=value`, bare `--flag` (named in `flags`) and `--help`/`-h`; everything else is positional.
 * With `known`, an option outside it is refused before its value is looked for, so the error names the option.
 */
export function tokenize(argv: readonly string[], flags: readonly string[] = [], known?: ReadonlySet<string>): Tokens {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      options.set('help', true);
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (known && name !== 'help' && !known.has(name)) throw new UsageError(`unknown option --${name}`);
    if (eq > 0) options.set(name, arg.slice(eq + 1));
    else if (name === 'help' || flags.includes(name)) options.set(name, true);
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    }
  }
  return { positional, options };
}

/** The option's own type under `.optional()` and `.default()`. */
function innerType(type: z.ZodType): z.ZodType {
  let inner = type;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner;
}

const isFlag = (type: z.ZodType) => innerType(type) instanceof z.ZodBoolean;

function valueHint(type: z.ZodType): string {
  const inner = innerType(type);
  if (inner instanceof z.ZodBoolean) return '';
  if (inner instanceof z.ZodEnum) return inner.options.join('|');
  if (inner instanceof z.ZodNumber) return '<number>';
  return '<text>';
}

/** The usage line and one line per option: its values, its default and, when the schema describes it, what it does. */
export function helpText(usage: string, schema: OptionsSchema): string {
  const rows = Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, type]) => {
    const defaultValue = type instanceof z.ZodDefault ? (type.def.defaultValue as unknown) : undefined;
    const notes = [type.description, defaultValue === undefined ? undefined : `default ${JSON.stringify(defaultValue)}`].filter(Boolean);
    return [`--${kebab(key)} ${valueHint(type)}`.trimEnd(), notes.join('; ')] as const;
  });
  rows.push(['--help', 'print this help']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return `usage: ${usage}\n\noptions:\n${rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join('\n')}\n`;
}

/**
 * The command line into positional arguments and a zod-validated options object with camelCase keys. `--help`
 * throws HelpRequested with the help text; unknown, valueless or invalid options are usage errors naming the option
 * and ending with the usage.
 */
export function parseOptions<S extends OptionsSchema>(argv: readonly string[], schema: S, usage: string): CommandLine<S> {
  const shape = schema.shape as Record<string, z.ZodType>;
  const names = Object.keys(shape).map(kebab);
  let tokens: Tokens;
  try {
    tokens = tokenize(
      argv,
      names.filter((name) => isFlag(shape[camel(name)])),
      new Set(names),
    );
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${usage}`);
  }
  if (tokens.options.has('help')) throw new HelpRequested(helpText(usage, schema));
  const raw = Object.fromEntries([...tokens.options].map(([name, value]) => [camel(name), value]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(', ') || '';
      return `${key ? `--${kebab(key)}` : 'options'}: ${issue.message}`;
    });
    throw new UsageError(`${problems.join('; ')}\nusage: ${usage}`);
  }
  return { positional: tokens.positional, options: parsed.data };
}
