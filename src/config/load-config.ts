import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { parse as parseYaml } from 'yaml';

export const DEFAULT_CONFIG_FILE = resolve(__dirname, '../../config/default.yaml');

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration (${file}):\n  ${problems.join('\n  ')}`);
  }
}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeConfig(base: Tree, override: Tree): Tree {
  const merged: Tree = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isTree(value) && isTree(base[key]) ? mergeConfig(base[key] as Tree, value) : value;
  }
  return merged;
}

function readTree(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as Error).message}`]);
  }
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, [`not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`]);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isTree(parsed)) throw new ConfigError(file, ['the top level must be a mapping of keys']);
  return parsed;
}

export interface ConfigSources {
  /** A file merged over the defaults (from --config or SCOPE_CONFIG). */
  readonly file?: string;
  /** Last-applied overrides, e.g. from command-line flags. */
  readonly overrides?: Tree;
}

/** The defaults, the file and the overrides merged, then checked against `schema` (the root one, composed above). */
export function loadConfigWith<T>(schema: z.ZodType<T>, sources: ConfigSources = {}): T {
  let tree = readTree(DEFAULT_CONFIG_FILE);
  if (sources.file) tree = mergeConfig(tree, readTree(resolve(sources.file)));
  if (sources.overrides) tree = mergeConfig(tree, sources.overrides);
  const result = schema.safeParse(tree);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${key}.` : '';
        return `${issue.keys.map((k) => where + k).join(', ')}: unknown key`;
      }
      return `${key}: ${issue.message}`;
    });
    throw new ConfigError(sources.file ?? DEFAULT_CONFIG_FILE, problems);
  }
  return result.data;
}

/** Reads `--config <file>`, `--simulation` and `--port <n>` from argv; SCOPE_CONFIG when no --config. */
export function configSourcesFromProcess(argv: readonly string[], env: NodeJS.ProcessEnv): ConfigSources {
  const overrides: Tree = {};
  let file = env.SCOPE_CONFIG || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config') file = argv[++i];
    else if (arg.startsWith('--config=')) file = arg.slice('--config='.length);
    else if (arg === '--simulation') overrides.simulation = { enabled: true };
    else if (arg === '--port') overrides.server = { port: Number(argv[++i]) };
  }
  return { file, overrides };
}
