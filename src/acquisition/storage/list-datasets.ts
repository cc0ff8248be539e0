import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface DatasetEntry {
  readonly name: string;
  /** Last modification, ISO 8601. */
  readonly modified: string;
  readonly sizeBytes: number;
  readonly format: 'ome-tiff' | 'ome-zarr';
  /** Files inside a folder data set (per-position OME-TIFFs); 1 for a single file. */
  readonly files: number;
}

async function folderBytes(path: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      const inner = await folderBytes(child);
      bytes += inner.bytes;
      files += inner.files;
    } else if (entry.isFile()) {
      bytes += (await stat(child)).size;
      files++;
    }
  }
  return { bytes, files };
}

/**
 * The data sets at the top of the storage directory, newest first: OME-TIFF files, OME-Zarr stores, and folders of
 * per-position OME-TIFF files. Anything else there (audit log, CARE folders, jobs) is not a data set. A missing
 * directory has none.
 */
export async function listDatasets(directory: string): Promise<DatasetEntry[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const found: DatasetEntry[] = [];
  for (const entry of entries) {
    const path = join(directory, entry.name);
    const info = await stat(path);
    if (entry.isFile() && entry.name.endsWith('.ome.tif')) {
      found.push({ name: entry.name, modified: info.mtime.toISOString(), sizeBytes: info.size, format: 'ome-tiff', files: 1 });
    } else if (entry.isDirectory() && entry.name.endsWith('.ome.zarr')) {
      const { bytes, files } = await folderBytes(path);
      found.push({ name: entry.name, modified: info.mtime.toISOString(), sizeBytes: bytes, format: 'ome-zarr', files });
    } else if (entry.isDirectory() && (await readdir(path)).some((name) => name.endsWith('.ome.tif'))) {
      const { bytes, files } = await folderBytes(path);
      found.push({ name: entry.name, modified: info.mtime.toISOString(), sizeBytes: bytes, format: 'ome-tiff', files });
    }
  }
  return found.sort((a, b) => b.modified.localeCompare(a.modified) || a.name.localeCompare(b.name));
}
