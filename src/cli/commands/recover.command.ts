import { z } from 'zod';
import { NotADatasetError, recoverDataset } from '../../acquisition/storage';
import { parseOptions } from '../options';
import { UsageError } from '../usage-error';

const USAGE = 'scope recover <data set .ome.tif | .ome.zarr>';

/** `scope recover <data set>`: finalizes an OME-TIFF or OME-Zarr data set whose writer was killed; prints what it holds. */
export async function recoverCommand(argv: readonly string[]): Promise<number> {
  const { positional } = parseOptions(argv, z.object({}), USAGE);
  const [path, ...rest] = positional;
  if (!path || rest.length > 0) throw new UsageError(`usage: ${USAGE}`);
  try {
    const report = await recoverDataset(path);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof NotADatasetError) throw new UsageError(err.message);
    throw err;
  }
}
