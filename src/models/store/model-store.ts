import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ModelNotFoundError } from './model-errors';
import { openModelFolder, type ModelFolder } from './model-folder';
import { RDF_FILE } from './rdf';

/** The models shipped with the project (models/ at the project root). */
export const SHIPPED_MODELS_DIR = resolve(__dirname, '..', '..', '..', 'models');

const DESCRIPTION_FILES = [RDF_FILE, 'bioimageio.yaml'];

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Finds model folders by name in an ordered list of directories (user directories first, the shipped models
 * last), or takes a path to a folder as is.
 */
export class ModelStore {
  readonly directories: readonly string[];

  constructor(directories: readonly string[] = [SHIPPED_MODELS_DIR]) {
    this.directories = directories.map((d) => resolve(d));
  }

  /** Names of the folders holding a model description (rdf.yaml, or a Zoo package's bioimageio.yaml), first directory wins. */
  list(): string[] {
    const names = new Set<string>();
    for (const dir of this.directories) {
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir)) {
        if (DESCRIPTION_FILES.some((file) => existsSync(join(dir, entry, file)))) names.add(entry);
      }
    }
    return [...names].sort();
  }

  /** The folder of a model name, or of a path (containing a slash, or absolute). */
  locate(nameOrPath: string): string {
    if (isAbsolute(nameOrPath) || nameOrPath.includes('/') || nameOrPath.includes('\\')) {
      const dir = resolve(nameOrPath);
      if (!existsSync(dir)) throw new ModelNotFoundError(`no model folder at ${dir}`);
      return dir;
    }
    if (!NAME_PATTERN.test(nameOrPath)) throw new ModelNotFoundError(`"${nameOrPath}" is not a model name (letters, digits, '.', '_', '-')`);
    for (const dir of this.directories) {
      const candidate = join(dir, nameOrPath);
      if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    }
    const known = this.list();
    throw new ModelNotFoundError(`no model "${nameOrPath}" in ${this.directories.join(', ')}${known.length ? `; available: ${known.join(', ')}` : ''}`);
  }

  open(nameOrPath: string): ModelFolder {
    return openModelFolder(this.locate(nameOrPath));
  }
}
