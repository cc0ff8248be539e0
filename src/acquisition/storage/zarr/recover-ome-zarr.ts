import { readdir, readFile, stat, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isFinalized } from '../dataset-state';
import { validateLayout, type DatasetLayout } from '../dataset-layout';
import { NotADatasetError } from '../storage-errors';
import { imageAttributesFor, planeBytesOf, PLANES_JOURNAL, zarrayFor, type ScopeImageAttributes, type ZarrShape } from './ngff-metadata';
import { imageDirectories, readJournal } from './read-ome-zarr';
import { recoverShardedImage } from './v3/recover-sharded-image';
import { isZarrV3 } from './v3/read-sharded-image';
import { isPartialName, writeJsonAtomic } from './zarr-files';

export interface ZarrImageRecovery {
  readonly path: string;
  /** Planes (chunk files) present after recovery. */
  readonly planes: number;
  /** Journal records kept (planes with their frame metadata). */
  readonly planeRecords: number;
  /** Temporary files of interrupted writes, and chunk files of the wrong size, removed. */
  readonly droppedFiles: number;
  /** Bytes of a torn last journal line cut. */
  readonly droppedJournalBytes: number;
  readonly shape: ZarrShape;
  readonly alreadyComplete: boolean;
}

/**
 * Finalizes an OME-Zarr store whose writer never closed: removes temporaries of interrupted writes, cuts a torn
 * journal line, and sets the array shape and channel list to what was really written.
 */
export async function recoverOmeZarr(path: string): Promise<ZarrImageRecovery[]> {
  const directories = await imageDirectories(path).catch((error: Error) => {
    throw new NotADatasetError(`${path}: not an OME-Zarr store (${error.message})`);
  });
  const results: ZarrImageRecovery[] = [];
  const v3 = await isZarrV3(path);
  for (const directory of directories) results.push(await (v3 ? recoverShardedImage(directory) : recoverImage(directory)));
  return results;
}

async function recoverImage(directory: string): Promise<ZarrImageRecovery> {
  const attributes = JSON.parse(await readFile(join(directory, '.zattrs'), 'utf8')) as {
    scope?: ScopeImageAttributes;
    multiscales?: { name?: string }[];
  };
  if (!attributes.scope?.layout)
    throw new NotADatasetError(`${directory}: .zattrs has no "scope" record; not an OME-Zarr written by this module`);
  const layout: DatasetLayout = validateLayout(attributes.scope.layout, directory);
  let droppedFiles = 0;
  for (const folder of [directory, join(directory, '0')]) {
    for (const name of await readdir(folder)) {
      if (isPartialName(name)) {
        await unlink(join(folder, name));
        droppedFiles++;
      }
    }
  }
  const extent = { t: 0, c: 0, z: 0 };
  let planes = 0;
  const planeBytes = planeBytesOf(layout);
  for (const { t, c, z, chunkDirectory } of await chunkDirectories(join(directory, '0'))) {
    for (const name of await readdir(chunkDirectory)) {
      const file = join(chunkDirectory, name);
      if (isPartialName(name) || (name === '0' && (await stat(file)).size !== planeBytes)) {
        await unlink(file);
        droppedFiles++;
      } else if (name === '0') {
        planes++;
        extent.t = Math.max(extent.t, t + 1);
        extent.c = Math.max(extent.c, c + 1);
        extent.z = Math.max(extent.z, z + 1);
      }
    }
  }
  const journalPath = join(directory, attributes.scope.planesJournal ?? PLANES_JOURNAL);
  const droppedJournalBytes = await cutTornJournalLine(journalPath);
  const planeRecords = (await readJournal(journalPath)).length;
  const shape = planes > 0 ? extent : { t: layout.sizes.t, c: layout.sizes.c, z: layout.sizes.z };
  const alreadyComplete = isFinalized(attributes.scope.state) && droppedFiles === 0 && droppedJournalBytes === 0;
  if (!alreadyComplete) {
    const fsync = { fsync: true };
    await writeJsonAtomic(join(directory, '0', '.zarray'), zarrayFor(layout, shape), fsync);
    const scope: ScopeImageAttributes = { ...attributes.scope, layout, state: 'recovered', planesWritten: planes };
    await writeJsonAtomic(join(directory, '.zattrs'), imageAttributesFor(attributes.multiscales?.[0]?.name ?? '', shape, scope), fsync);
  }
  return { path: directory, planes, planeRecords, droppedFiles, droppedJournalBytes, shape, alreadyComplete };
}

/** Cuts a journal's torn last line (a process killed mid-append); returns the bytes cut. */
export async function cutTornJournalLine(journalPath: string): Promise<number> {
  const journal = await readFile(journalPath).catch(() => Buffer.alloc(0));
  const keepBytes = journal.lastIndexOf(0x0a) + 1;
  if (keepBytes < journal.byteLength) await truncate(journalPath, keepBytes);
  return journal.byteLength - keepBytes;
}

/** The chunk directories 0/t/c/z/0 with their indices. */
async function chunkDirectories(arrayDirectory: string): Promise<{ t: number; c: number; z: number; chunkDirectory: string }[]> {
  const numbered = async (folder: string): Promise<number[]> =>
    (await readdir(folder, { withFileTypes: true }).catch(() => []))
      .filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name))
      .map((entry) => Number(entry.name));
  const found: { t: number; c: number; z: number; chunkDirectory: string }[] = [];
  for (const t of await numbered(arrayDirectory)) {
    for (const c of await numbered(join(arrayDirectory, String(t)))) {
      for (const z of await numbered(join(arrayDirectory, String(t), String(c)))) {
        const chunkDirectory = join(arrayDirectory, String(t), String(c), String(z), '0');
        if ((await stat(chunkDirectory).catch(() => undefined))?.isDirectory()) found.push({ t, c, z, chunkDirectory });
      }
    }
  }
  return found;
}
