import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { NotADatasetError } from './storage-errors';
import { omeTiffPositionPattern } from './tiff/ome-tiff-writer';
import { recoverOmeTiffFile, type TiffFileRecovery } from './tiff/recover-ome-tiff';
import { recoverOmeZarr, type ZarrImageRecovery } from './zarr/recover-ome-zarr';

export type RecoveryReport =
  | { readonly format: 'ome-tiff'; readonly path: string; readonly files: readonly TiffFileRecovery[]; readonly planes: number }
  | { readonly format: 'ome-zarr'; readonly path: string; readonly images: readonly ZarrImageRecovery[]; readonly planes: number };

/**
 * Finalizes a data set whose writer never closed (killed process, power cut, full disk): an OME-TIFF file, the
 * path of a multi-position OME-TIFF set (its `_pNNN` files), or an OME-Zarr directory. Safe on a complete set.
 */
export async function recoverDataset(path: string): Promise<RecoveryReport> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    const images = await recoverOmeZarr(path);
    return { format: 'ome-zarr', path, images, planes: images.reduce((sum, image) => sum + image.planes, 0) };
  }
  const files = info?.isFile() ? [path] : await positionFiles(path);
  if (files.length === 0) throw new NotADatasetError(`${path}: no such file, directory or multi-position OME-TIFF set`);
  const results: TiffFileRecovery[] = [];
  for (const file of files) results.push(await recoverOmeTiffFile(file));
  return { format: 'ome-tiff', path, files: results, planes: results.reduce((sum, file) => sum + file.planes, 0) };
}

async function positionFiles(path: string): Promise<string[]> {
  const pattern = omeTiffPositionPattern(path);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  return names
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => join(dirname(path), basename(name)));
}
