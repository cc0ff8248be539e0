import type { z } from 'zod';

/** A command line the CARE commands cannot use (the CLI answers it with usage and exit code 2). */
export class CareCommandUsageError extends Error {
  override readonly name = 'CareCommandUsageError';
}

/**
 * `--name value`, `--name=value` and bare `--flag` (for names in `flags`) into a zod-validated options object with
 * camelCase keys; everything else is positional. Unknown options are usage errors naming the option.
 */
export function parseCommandArgs<S extends z.ZodType>(argv: readonly string[], schema: S, usage: string, flags: readonly string[] = []): { positional: string[]; options: z.infer<S> } {
  const positional: string[] = [];
  const raw: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(2, eq) : arg.slice(2)).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (eq > 0) raw[name] = arg.slice(eq + 1);
    else if (flags.includes(name)) raw[name] = true;
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new CareCommandUsageError(`${arg} needs a value\nusage: ${usage}`);
      raw[name] = value;
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(', ') || '';
      const option = key ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'options';
      return `${option}: ${issue.message}`;
    });
    throw new CareCommandUsageError(`${problems.join('; ')}\nusage: ${usage}`);
  }
  return { positional, options: parsed.data };
}
