import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../frame';
import { openOmeZarrWriter, readOmeZarr, type DatasetLayoutInput, type SampleType } from './index';
import { md5Of, requireDebianPython, runPython, ZARR_REPORT, type ZarrReport } from './test-support/debian-python';
import { syntheticFrame, tczPlanes } from './test-support/synthetic-frames';

const directory = mkdtempSync(join(tmpdir(), 'ome-zarr-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
beforeAll(() => requireDebianPython());

const sizes = { t: 3, c: 2, z: 4 };
const layoutFor = (dtype: SampleType, extra: Partial<DatasetLayoutInput> = {}): DatasetLayoutInput => ({
  sizes,
  dtype,
  widthPx: 67,
  heightPx: 45,
  channelNames: ['DAPI', 'GFP'],
  pixelSizeUm: 0.108,
  zStepUm: 0.5,
  timeIntervalMs: 2000,
  ...extra,
});

async function writeAll(path: string, layout: DatasetLayoutInput, frames: Frame[]): Promise<void> {
  const writer = await openOmeZarrWriter(path, layout, { checkpointEveryFrames: 5 });
  for (const frame of frames) await writer.write(frame);
  expect(writer.framesWritten).toBe(frames.length);
  await writer.close();
}

describe('OME-Zarr writer round trip', () => {
  it.each(['uint16', 'uint8'] as const)(
    'writes a T×C×Z %s NGFF 0.4 image that our reader and zarr-python read pixel-exact',
    async (dtype) => {
      const path = join(directory, `full-${dtype}.ome.zarr`);
      const frames = [...tczPlanes(sizes)].map((plane, sequence) => syntheticFrame(plane, sequence, { dtype, widthPx: 67, heightPx: 45 }));
      await writeAll(path, layoutFor(dtype), frames);

      const zarray = JSON.parse(readFileSync(join(path, '0', '.zarray'), 'utf8'));
      expect(zarray).toMatchObject({
        zarr_format: 2,
        chunks: [1, 1, 1, 45, 67],
        dimension_separator: '/',
        fill_value: 0,
        compressor: null,
      });
      const attrs = JSON.parse(readFileSync(join(path, '.zattrs'), 'utf8'));
      expect(attrs.multiscales[0].version).toBe('0.4');
      expect(attrs.multiscales[0].axes).toEqual([
        { name: 't', type: 'time', unit: 'second' },
        { name: 'c', type: 'channel' },
        { name: 'z', type: 'space', unit: 'micrometer' },
        { name: 'y', type: 'space', unit: 'micrometer' },
        { name: 'x', type: 'space', unit: 'micrometer' },
      ]);

      const ours = (await readOmeZarr(path)).images[0];
      expect(ours.shape).toEqual([3, 2, 4, 45, 67]);
      expect(ours.planeRecords).toHaveLength(24);
      expect(ours.planeRecords[5].meta?.exposureMs).toBe(frames[5].meta.exposureMs);
      for (const frame of frames) {
        const { t, c, z } = frame.meta.index;
        expect(await ours.readPlane(t, c, z)).toEqual(frame.pixels);
      }

      const zarr = runPython<ZarrReport>(ZARR_REPORT, [path, '']);
      expect(zarr).toMatchObject({
        shape: [3, 2, 4, 45, 67],
        dtype,
        chunks: [1, 1, 1, 45, 67],
        axes: ['t', 'c', 'z', 'y', 'x'],
        scale: [2, 1, 0.5, 0.108, 0.108],
        channels: ['DAPI', 'GFP'],
      });
      expect(zarr.scope).toMatchObject({ state: 'complete', planesWritten: 24 });
      for (const frame of frames) {
        const { t, c, z } = frame.meta.index;
        expect(zarr.planeMd5[`${t}/${c}/${z}`]).toBe(md5Of(frame.pixels));
      }
    },
  );

  it('finalizes an early end with the real shape; unwritten planes read as the fill value', async () => {
    const path = join(directory, 'cancelled.ome.zarr');
    const frames = [...tczPlanes(sizes)]
      .slice(0, 13)
      .map((plane, sequence) => syntheticFrame(plane, sequence, { dtype: 'uint16', widthPx: 67, heightPx: 45 }));
    await writeAll(path, layoutFor('uint16'), frames);
    const zarr = runPython<ZarrReport>(ZARR_REPORT, [path, '']);
    expect(zarr.shape).toEqual([2, 2, 4, 45, 67]);
    expect(zarr.planeMd5['1/1/0']).toBe(md5Of(frames[12].pixels));
    expect(zarr.planeMd5['1/1/3']).toBe(md5Of(new Uint16Array(67 * 45)));
    const ours = (await readOmeZarr(path)).images[0];
    expect(await ours.hasPlane(1, 1, 3)).toBe(false);
  });

  it('grows the time axis when an acquisition runs past its plan', async () => {
    const path = join(directory, 'longer.ome.zarr');
    const frames = [0, 1, 2, 3].map((t) => syntheticFrame({ t, c: 0, z: 0 }, t, { dtype: 'uint8', widthPx: 8, heightPx: 8 }));
    const writer = await openOmeZarrWriter(
      path,
      { sizes: { t: 2, c: 1, z: 1 }, dtype: 'uint8', widthPx: 8, heightPx: 8, pixelSizeUm: 1 },
      { checkpointEveryFrames: 1 },
    );
    for (const frame of frames) await writer.write(frame);
    // before close: the checkpoint already grew the array, so another program sees all four planes
    expect(JSON.parse(readFileSync(join(path, '0', '.zarray'), 'utf8')).shape[0]).toBe(4);
    await writer.close();
    expect(await (await readOmeZarr(path)).images[0].readPlane(3, 0, 0)).toEqual(frames[3].pixels);
  });

  it('writes positions as a bioformats2raw-layout collection, links processed data to its raw set', async () => {
    const path = join(directory, 'plate.ome.zarr');
    const derivedFrom = { path: '/data/raw/plate.ome.zarr', uuid: 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e' };
    const frames = [...tczPlanes({ t: 2, c: 1, z: 1, p: 2 })].map((plane, sequence) =>
      syntheticFrame(plane, sequence, { dtype: 'float32', widthPx: 16, heightPx: 8 }),
    );
    await writeAll(
      path,
      { sizes: { t: 2, p: 2, c: 1, z: 1 }, dtype: 'float32', widthPx: 16, heightPx: 8, pixelSizeUm: 0.05, derivedFrom },
      frames,
    );

    expect(JSON.parse(readFileSync(join(path, '.zattrs'), 'utf8'))['bioformats2raw.layout']).toBe(3);
    expect(JSON.parse(readFileSync(join(path, 'OME', '.zattrs'), 'utf8')).series).toEqual(['0', '1']);
    const ours = await readOmeZarr(path);
    expect(ours.images).toHaveLength(2);
    for (const position of [0, 1]) {
      const zarr = runPython<ZarrReport>(ZARR_REPORT, [path, String(position)]);
      expect(zarr).toMatchObject({ shape: [2, 1, 1, 8, 16], dtype: 'float32' });
      expect(zarr.scope).toMatchObject({ derivedFrom, position });
      for (const frame of frames.filter((f) => f.meta.index.p === position)) {
        expect(zarr.planeMd5[`${frame.meta.index.t}/0/0`]).toBe(md5Of(frame.pixels));
        expect(await ours.images[position].readPlane(frame.meta.index.t, 0, 0)).toEqual(frame.pixels);
      }
    }
  });
});
