import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../frame';
import { openOmeZarrWriter, readOmeZarr, recoverDataset, type DatasetLayoutInput, type SampleType } from './index';
import { crashFrame, crashPlanes, writeThenKill } from './test-support/crash-plan';
import { md5Of } from './test-support/debian-python';
import { syntheticFrame, tczPlanes } from './test-support/synthetic-frames';
import { readWithZarrita } from './test-support/zarrita';

const directory = mkdtempSync(join(tmpdir(), 'ome-zarr-v3-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const sizes = { t: 5, c: 2, z: 3 };
const W = 67;
const H = 45;
const layoutFor = (dtype: SampleType, extra: Partial<DatasetLayoutInput> = {}): DatasetLayoutInput => ({
  sizes,
  dtype,
  widthPx: W,
  heightPx: H,
  channelNames: ['DAPI', 'GFP'],
  pixelSizeUm: 0.108,
  zStepUm: 0.5,
  timeIntervalMs: 2000,
  ...extra,
});
const framesOf = (dtype: SampleType, count = Infinity): Frame[] =>
  [...tczPlanes(sizes)].slice(0, count).map((plane, sequence) => syntheticFrame(plane, sequence, { dtype, widthPx: W, heightPx: H }));
/** Shards of 2 time points (12 planes) for these planes. */
const shards = (bytesPerSample: number) => ({ zarrVersion: 3 as const, shardTargetBytes: 12 * W * H * bytesPerSample });
const shardFiles = (image: string) => readdirSync(join(image, '0', 'c')).map((n) => join(image, '0', 'c', n, '0', '0', '0', '0'));

describe('OME-Zarr NGFF 0.5 on zarr v3 shards', () => {
  it.each([
    ['uint16', 2],
    ['uint8', 1],
  ] as const)('writes a T×C×Z %s image in shards of many planes that zarrita and our reader read pixel-exact', async (dtype, bytes) => {
    const path = join(directory, `full-${dtype}.ome.zarr`);
    const frames = framesOf(dtype);
    const writer = await openOmeZarrWriter(path, layoutFor(dtype), { checkpointEveryFrames: 5, ...shards(bytes) });
    for (const frame of frames) await writer.write(frame);
    await writer.close();

    const array = JSON.parse(readFileSync(join(path, '0', 'zarr.json'), 'utf8'));
    expect(array).toMatchObject({ zarr_format: 3, node_type: 'array', shape: [5, 2, 3, H, W], data_type: dtype });
    expect(array.chunk_grid.configuration.chunk_shape).toEqual([2, 2, 3, H, W]);
    expect(array.codecs[0]).toMatchObject({
      name: 'sharding_indexed',
      configuration: { chunk_shape: [1, 1, 1, H, W], index_location: 'end' },
    });
    // 30 planes in 3 files (t 0–1, 2–3, 4), each its planes and a 16-byte entry per inner chunk + CRC
    const files = shardFiles(path);
    expect(files).toHaveLength(3);
    expect(files.map((f) => statSync(f).size).sort((a, b) => a - b)).toEqual([6, 12, 12].map((n) => n * W * H * bytes + 12 * 16 + 4));

    const zarrita = readWithZarrita(path);
    expect(zarrita).toMatchObject({
      version: '0.5',
      shape: [5, 2, 3, H, W],
      dtype,
      chunks: [1, 1, 1, H, W],
      axes: ['t', 'c', 'z', 'y', 'x'],
      scale: [2, 1, 0.5, 0.108, 0.108],
      channels: ['DAPI', 'GFP'],
    });
    expect(zarrita.scope).toMatchObject({ state: 'complete', planesWritten: 30 });
    const ours = (await readOmeZarr(path)).images[0];
    expect(ours.zarrFormat).toBe(3);
    expect(ours.planeRecords).toHaveLength(30);
    for (const frame of frames) {
      const { t, c, z } = frame.meta.index;
      expect(zarrita.planeMd5[`${t}/${c}/${z}`]).toBe(md5Of(frame.pixels));
      expect(await ours.readPlane(t, c, z)).toEqual(frame.pixels);
    }
  });

  it('keeps every shard readable while acquiring: zarrita reads the planes so far before close', async () => {
    const path = join(directory, 'open.ome.zarr');
    const frames = framesOf('uint16', 17);
    const writer = await openOmeZarrWriter(path, layoutFor('uint16'), { checkpointEveryFrames: 1000, ...shards(2) });
    for (const frame of frames) await writer.write(frame);
    const zarrita = readWithZarrita(path);
    for (const frame of frames) {
      const { t, c, z } = frame.meta.index;
      expect(zarrita.planeMd5[`${t}/${c}/${z}`]).toBe(md5Of(frame.pixels));
    }
    expect(zarrita.planeMd5['2/1/2']).toBe(md5Of(new Uint16Array(W * H))); // not yet taken: the fill value
    await writer.close();
  });

  it('finalizes an early end with the real shape, and grows the time axis when a run goes past its plan', async () => {
    const early = join(directory, 'cancelled.ome.zarr');
    const writer = await openOmeZarrWriter(early, layoutFor('uint16'), shards(2));
    const frames = framesOf('uint16', 9);
    for (const frame of frames) await writer.write(frame);
    await writer.close();
    expect(readWithZarrita(early).shape).toEqual([2, 2, 3, H, W]);
    expect(await (await readOmeZarr(early)).images[0].hasPlane(1, 1, 2)).toBe(false);

    const longer = join(directory, 'longer.ome.zarr');
    const small = { sizes: { t: 2, c: 1, z: 1 }, dtype: 'uint8' as const, widthPx: 8, heightPx: 8, pixelSizeUm: 1 };
    const grown = await openOmeZarrWriter(longer, small, { checkpointEveryFrames: 1, zarrVersion: 3 });
    const planes = [0, 1, 2, 3].map((t) => syntheticFrame({ t, c: 0, z: 0 }, t, { dtype: 'uint8', widthPx: 8, heightPx: 8 }));
    for (const frame of planes) await grown.write(frame);
    expect(JSON.parse(readFileSync(join(longer, '0', 'zarr.json'), 'utf8')).shape[0]).toBe(4); // before close
    await grown.close();
    expect(readWithZarrita(longer).planeMd5['3/0/0']).toBe(md5Of(planes[3].pixels));
  });

  it('appends to a shard it closed before, when the plan loops channels outside time', async () => {
    const path = join(directory, 'channels-outside.ome.zarr');
    const small = { sizes: { t: 6, c: 2, z: 1 }, dtype: 'uint16' as const, widthPx: 32, heightPx: 16, pixelSizeUm: 1 };
    // one time point per shard: 6 shards, more than the writer keeps open, each written for c=0 and again for c=1
    const writer = await openOmeZarrWriter(path, small, { zarrVersion: 3, shardTargetBytes: 2 * 32 * 16 * 2 });
    const frames = [0, 1].flatMap((c) =>
      [0, 1, 2, 3, 4, 5].map((t) => syntheticFrame({ t, c, z: 0 }, c * 6 + t, { dtype: 'uint16', widthPx: 32, heightPx: 16 })),
    );
    for (const frame of frames) await writer.write(frame);
    await writer.close();
    expect(shardFiles(path)).toHaveLength(6);
    const zarrita = readWithZarrita(path);
    for (const frame of frames) expect(zarrita.planeMd5[`${frame.meta.index.t}/${frame.meta.index.c}/0`]).toBe(md5Of(frame.pixels));
  });

  it('writes positions as a bioformats2raw-layout collection of NGFF 0.5 images', async () => {
    const path = join(directory, 'plate.ome.zarr');
    const frames = [...tczPlanes({ t: 2, c: 1, z: 1, p: 2 })].map((plane, sequence) =>
      syntheticFrame(plane, sequence, { dtype: 'float32', widthPx: 16, heightPx: 8 }),
    );
    const writer = await openOmeZarrWriter(
      path,
      { sizes: { t: 2, p: 2, c: 1, z: 1 }, dtype: 'float32', widthPx: 16, heightPx: 8, pixelSizeUm: 0.05 },
      { zarrVersion: 3 },
    );
    for (const frame of frames) await writer.write(frame);
    await writer.close();
    expect(JSON.parse(readFileSync(join(path, 'zarr.json'), 'utf8')).attributes.ome).toEqual({
      version: '0.5',
      'bioformats2raw.layout': 3,
    });
    expect(JSON.parse(readFileSync(join(path, 'OME', 'zarr.json'), 'utf8')).attributes.ome.series).toEqual(['0', '1']);
    for (const position of [0, 1]) {
      const zarrita = readWithZarrita(path, String(position));
      for (const frame of frames.filter((f) => f.meta.index.p === position))
        expect(zarrita.planeMd5[`${frame.meta.index.t}/0/0`]).toBe(md5Of(frame.pixels));
    }
    expect((await readOmeZarr(path)).images.map((i) => i.scope?.position)).toEqual([0, 1]);
  });

  it('leaves shards zarrita reads after kill -9, and recovery repairs a torn last write and sets the real shape', async () => {
    const path = join(directory, 'killed.ome.zarr');
    const planes = crashPlanes();
    const expected = (sequence: number) => md5Of(crashFrame(planes[sequence], sequence).pixels);
    const reported = await writeThenKill('zarr3', path, 10);
    const before = readWithZarrita(path);
    for (let sequence = 0; sequence < reported; sequence++)
      expect(before.planeMd5[`${planes[sequence].t}/0/${planes[sequence].z}`]).toBe(expected(sequence));

    // a write torn by a power cut: half a plane appended after the last shard's index
    const last = shardFiles(path).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    appendFileSync(last, Buffer.alloc(96 * 64, 0xab));

    const report = await recoverDataset(path);
    expect(report.format).toBe('ome-zarr');
    const [recovered] = report.format === 'ome-zarr' ? report.images : [];
    expect(recovered.planes).toBeGreaterThanOrEqual(reported);
    expect(recovered.droppedFiles).toBeGreaterThanOrEqual(1);
    const written = recovered.planes;
    const after = readWithZarrita(path);
    expect(after.shape).toEqual([planes[written - 1].t + 1, 1, written >= 3 ? 3 : written, 64, 96]);
    expect(after.scope).toMatchObject({ state: 'recovered', planesWritten: written });
    for (let sequence = 0; sequence < written; sequence++)
      expect(after.planeMd5[`${planes[sequence].t}/0/${planes[sequence].z}`]).toBe(expected(sequence));
    const again = await recoverDataset(path);
    expect(again.format === 'ome-zarr' && again.images[0].alreadyComplete).toBe(true);
  });
});
