import type { z } from 'zod';
import { parseArgs } from '../../cli/args';

/** A command line the model commands cannot use (the CLI answers it with usage and exit code 2). */
export class CareCommandUsageError extends Error {
  override readonly name = 'CareCommandUsageError';
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The CLI's tokenizer (src/cli/args.ts) into a zod-validated options object with camelCase keys; `flags` are the
 * camelCase names of bare options. Unknown or invalid options are usage errors naming the option.
 */
export function parseCommandArgs<S extends z.ZodType>(argv: readonly string[], schema: S, usage: string, flags: readonly string[] = []): { positional: string[]; options: z.infer<S> } {
  let parsedArgs: ReturnType<typeof parseArgs>;
  try {
    parsedArgs = parseArgs(argv, flags.map(kebab));
  } catch (err) {
    throw new CareCommandUsageError(`${(err as Error).message}\nusage: ${usage}`);
  }
  const raw = Object.fromEntries([...parsedArgs.options].map(([name, value]) => [camel(name), value]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(', ') || '';
      return `${key ? `--${kebab(key)}` : 'options'}: ${issue.message}`;
    });
    throw new CareCommandUsageError(`${problems.join('; ')}\nusage: ${usage}`);
  }
  return { positional: parsedArgs.positional, options: parsed.data };
}
