import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFully } from '../file-io';

/** Writes a file whole or not at all: a temporary beside it, then a rename (atomic within a directory). */
export async function writeFileAtomic(path: string, data: Uint8Array, options: { fsync: boolean }): Promise<void> {
  const temporary = `${dirname(path)}/.partial-${path.slice(dirname(path).length + 1)}`;
  const handle = await open(temporary, 'w');
  try {
    await writeFully(handle, [data], 0);
    if (options.fsync) await handle.datasync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

export const writeJsonAtomic = (path: string, value: unknown, options: { fsync: boolean }): Promise<void> =>
  writeFileAtomic(path, Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8'), options);

/** Flushes a file or directory entry list to disk (directories: so renames and new files survive a power cut). */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const isPartialName = (name: string): boolean => name.startsWith('.partial-');
