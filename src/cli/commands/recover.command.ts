import { recoverDataset } from '../../acquisition/storage';
import { NotADatasetError } from '../../acquisition/storage';
import { UsageError } from '../main';

/** `scope recover <data set>`: finalizes an OME-TIFF or OME-Zarr data set whose writer was killed; prints what it holds. */
export async function recoverCommand(argv: readonly string[]): Promise<number> {
  const [path, ...rest] = argv;
  if (!path || rest.length > 0) throw new UsageError('usage: scope recover <data set .ome.tif | .ome.zarr>');
  try {
    const report = await recoverDataset(path);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof NotADatasetError) throw new UsageError(err.message);
    throw err;
  }
}
