import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listDatasets } from './list-datasets';

describe('listDatasets', () => {
  let directory: string;
  beforeEach(async () => (directory = await mkdtemp(join(tmpdir(), 'list-datasets-'))));
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('lists OME-TIFF files, Zarr stores and position folders with their sizes, and nothing else', async () => {
    await writeFile(join(directory, 'a_run_1.ome.tif'), Buffer.alloc(100));
    await mkdir(join(directory, 'b_run_2.ome.zarr', '0'), { recursive: true });
    await writeFile(join(directory, 'b_run_2.ome.zarr', '.zattrs'), Buffer.alloc(10));
    await writeFile(join(directory, 'b_run_2.ome.zarr', '0', '0.0.0'), Buffer.alloc(30));
    await mkdir(join(directory, 'c_positions_3'));
    await writeFile(join(directory, 'c_positions_3', 'c_p000.ome.tif'), Buffer.alloc(7));
    await writeFile(join(directory, 'c_positions_3', 'c_p001.ome.tif'), Buffer.alloc(8));
    await writeFile(join(directory, 'audit.jsonl'), '{}\n');
    await mkdir(join(directory, 'care-calibrations', 'x'), { recursive: true });

    const byName = Object.fromEntries((await listDatasets(directory)).map((d) => [d.name, d]));
    expect(Object.keys(byName).sort()).toEqual(['a_run_1.ome.tif', 'b_run_2.ome.zarr', 'c_positions_3']);
    expect(byName['a_run_1.ome.tif']).toMatchObject({ format: 'ome-tiff', sizeBytes: 100, files: 1 });
    expect(byName['b_run_2.ome.zarr']).toMatchObject({ format: 'ome-zarr', sizeBytes: 40, files: 2 });
    expect(byName['c_positions_3']).toMatchObject({ format: 'ome-tiff', sizeBytes: 15, files: 2 });
    expect(Number.isNaN(Date.parse(byName['a_run_1.ome.tif'].modified))).toBe(false);
  });

  it('answers an empty list for a storage directory not made yet', async () => {
    expect(await listDatasets(join(directory, 'not-yet'))).toEqual([]);
  });
});
