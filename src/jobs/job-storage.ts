import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { PlaneStack } from '../models/io/stack-io';
import { storageStackIo } from '../models/io/storage-stack-io';
import { JobStorageError } from './jobs-errors';

/**
 * Where jobs read their data sets and put chunks and outputs, named by keys relative to one root that every worker
 * sees. Small on purpose, so an object store (S3) can stand behind it later: whole objects, written atomically.
 */
export interface JobStorage {
  /** Where the storage is, for messages (e.g. file:///mnt/lab). */
  readonly location: string;
  /** The key of a path under the root (for data sets named on a command line). */
  keyOf(path: string): string;
  openStack(key: string): Promise<PlaneStack>;
  /** Readers see all of the bytes or none; writing the same bytes twice leaves the same object. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /** The names directly under a folder key, sorted; none when there is no such folder. */
  list(folderKey: string): Promise<string[]>;
  /** An object made by a writer that needs a local file (OME-TIFF), put under `key` once `write` has finished it. */
  putFile(key: string, write: (localPath: string) => Promise<void>): Promise<void>;
}

/** A folder shared by every worker (local disk, NFS, SMB): temp names, then rename, so a crash leaves no half object. */
export class FileJobStorage implements JobStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get location(): string {
    return `file://${this.root}`;
  }

  keyOf(path: string): string {
    const absolute = resolve(this.root, path);
    const key = relative(this.root, absolute);
    if (key === '' || key.startsWith('..') || isAbsolute(key))
      throw new JobStorageError(`${path} is not under the job storage ${this.root}: workers could not read it`);
    return key.split(sep).join('/');
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new JobStorageError(`key ${key} leaves the job storage ${this.root}`);
    return path;
  }

  async openStack(key: string): Promise<PlaneStack> {
    const path = this.pathOf(key);
    try {
      return await storageStackIo.openStack(path);
    } catch (error) {
      throw new JobStorageError(`cannot open the data set ${key} in ${this.location}: ${(error as Error).message}`);
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, bytes, { flush: true });
    await rename(temp, path);
  }

  async get(key: string): Promise<Uint8Array> {
    return readFile(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  async list(folderKey: string): Promise<string[]> {
    const names = await readdir(this.pathOf(folderKey)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return names.sort();
  }

  async putFile(key: string, write: (localPath: string) => Promise<void>): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // the file keeps its own name inside a temp folder: OME-TIFF writes its file name into its metadata
    const folder = await mkdtemp(join(dirname(path), `.${basename(path)}.partial-`));
    try {
      await write(join(folder, basename(path)));
      await rename(join(folder, basename(path)), path);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}
