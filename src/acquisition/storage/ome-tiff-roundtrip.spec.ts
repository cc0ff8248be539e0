import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../frame';
import {
  FrameLayoutMismatchError,
  openOmeTiffWriter,
  readOmeTiff,
  StorageWriteError,
  WriterClosedError,
  type DatasetLayoutInput,
  type SampleType,
} from './index';
import { md5Of, requireDebianPython, runPython, TIFFFILE_REPORT, type TifffileReport } from './test-support/debian-python';
import { syntheticFrame, tczPlanes } from './test-support/synthetic-frames';

const directory = mkdtempSync(join(tmpdir(), 'ome-tiff-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
beforeAll(() => requireDebianPython());

const sizes = { t: 3, c: 2, z: 4 };
const layoutFor = (dtype: SampleType, extra: Partial<DatasetLayoutInput> = {}): DatasetLayoutInput => ({
  name: 'round trip',
  sizes,
  dtype,
  widthPx: 67,
  heightPx: 45,
  channelNames: ['DAPI', 'GFP µ'],
  pixelSizeUm: 0.108,
  zStepUm: 0.5,
  timeIntervalMs: 2000,
  significantBits: dtype === 'uint16' ? 12 : undefined,
  acquisitionId: 'acq-1',
  ...extra,
});

async function writeAll(path: string, layout: DatasetLayoutInput, frames: Frame[]): Promise<void> {
  const writer = await openOmeTiffWriter(path, layout, { checkpointEveryFrames: 5 });
  for (const frame of frames) await writer.write(frame);
  expect(writer.framesWritten).toBe(frames.length);
  await writer.close();
}

describe('OME-TIFF writer round trip', () => {
  it.each(['uint16', 'uint8'] as const)(
    'writes a T×C×Z %s data set that our reader and tifffile read pixel-exact with its metadata',
    async (dtype) => {
      const path = join(directory, `full-${dtype}.ome.tif`);
      const layout = layoutFor(dtype);
      const frames = [...tczPlanes(sizes)].map((plane, sequence) => syntheticFrame(plane, sequence, { dtype, widthPx: 67, heightPx: 45 }));
      await writeAll(path, layout, frames);

      const ours = await readOmeTiff(path);
      const pixels = ours.metadata.images[0].pixels;
      expect(pixels).toMatchObject({ dimensionOrder: 'XYZCT', sizeT: 3, sizeC: 2, sizeZ: 4, sizeX: 67, sizeY: 45, type: dtype });
      expect(pixels.physicalSizeX).toEqual({ value: 0.108, unit: 'µm' });
      expect(pixels.channels.map((channel) => channel.name)).toEqual(['DAPI', 'GFP µ']);
      expect(pixels.planes).toHaveLength(24);
      for (const frame of frames) {
        const { t, c, z } = frame.meta.index;
        const plane = ours.plane(t, c, z);
        expect(plane?.pixels).toEqual(frame.pixels);
        expect(plane?.record?.meta?.sequence).toBe(frame.meta.sequence);
      }
      const third = pixels.planes.find((plane) => plane.theT === 1 && plane.theC === 1 && plane.theZ === 2);
      const source = frames.find((frame) => frame.meta.index.t === 1 && frame.meta.index.c === 1 && frame.meta.index.z === 2)!;
      expect(third?.deltaT).toEqual({ value: source.meta.wallTimeMs - frames[0].meta.wallTimeMs, unit: 'ms' });
      expect(third?.exposureTime).toEqual({ value: source.meta.exposureMs, unit: 'ms' });
      expect(third?.positionZ).toEqual({ value: source.meta.stage.zUm, unit: 'µm' });

      const tifffile = runPython<TifffileReport>(TIFFFILE_REPORT, [path]);
      expect(tifffile).toMatchObject({ isOme: true, isBigtiff: true, pages: 24, axes: 'TCZYXS', shape: [3, 2, 4, 45, 67, 1], dtype });
      expect(tifffile.pixels).toMatchObject({
        DimensionOrder: 'XYZCT',
        SizeT: '3',
        SizeC: '2',
        SizeZ: '4',
        PhysicalSizeX: '0.108',
        PhysicalSizeXUnit: 'µm',
        PhysicalSizeZ: '0.5',
      });
      expect(tifffile.channels).toEqual(['DAPI', 'GFP µ']);
      expect(tifffile.planeElements).toBe(24);
      expect(tifffile.firstPlane).toMatchObject({
        TheT: '0',
        TheC: '0',
        TheZ: '0',
        DeltaT: '0',
        DeltaTUnit: 'ms',
        ExposureTimeUnit: 'ms',
        PositionXUnit: 'µm',
      });
      expect(tifffile.annotation).toMatchObject({ state: 'complete', acquisitionId: 'acq-1' });
      for (const frame of frames) {
        const { t, c, z } = frame.meta.index;
        expect(tifffile.planeMd5[`${t}/${c}/${z}`]).toBe(md5Of(frame.pixels));
      }
    },
  );

  it('finalizes an acquisition cancelled mid-timepoint with the real counts and blank planes completing the grid', async () => {
    const path = join(directory, 'cancelled.ome.tif');
    const planes = [...tczPlanes(sizes)].slice(0, 8 + 5); // t=0 complete, t=1 stops after c=1 z=0
    const frames = planes.map((plane, sequence) => syntheticFrame(plane, sequence, { dtype: 'uint16', widthPx: 67, heightPx: 45 }));
    await writeAll(path, layoutFor('uint16'), frames);

    const ours = await readOmeTiff(path);
    expect(ours.metadata.images[0].pixels).toMatchObject({ sizeT: 2, sizeC: 2, sizeZ: 4 });
    expect(ours.metadata.images[0].pixels.planes).toHaveLength(13);
    expect(ours.planes.filter((plane) => plane.blank).map(({ t, c, z }) => `${t}/${c}/${z}`)).toEqual(['1/1/1', '1/1/2', '1/1/3']);
    const tifffile = runPython<TifffileReport>(TIFFFILE_REPORT, [path]);
    expect(tifffile.shape).toEqual([2, 2, 4, 45, 67, 1]);
    expect(tifffile.planeMd5['1/1/0']).toBe(md5Of(frames[12].pixels));
    expect(tifffile.planeMd5['1/1/3']).toBe(md5Of(new Uint16Array(67 * 45)));
  });

  it('writes float32 processed data linked to its raw data set', async () => {
    const path = join(directory, 'denoised.ome.tif');
    const derivedFrom = { path: '/data/raw/run 1.ome.tif', uuid: 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e' };
    const frames = [0, 1].map((t) => syntheticFrame({ t, c: 0, z: 0 }, t, { dtype: 'float32', widthPx: 32, heightPx: 16 }));
    await writeAll(
      path,
      { sizes: { t: 2, c: 1, z: 1 }, dtype: 'float32', widthPx: 32, heightPx: 16, pixelSizeUm: 0.054, derivedFrom },
      frames,
    );

    const ours = await readOmeTiff(path);
    expect(ours.metadata.derivedFrom).toEqual(derivedFrom);
    expect(ours.metadata.images[0].pixels.type).toBe('float');
    expect(ours.plane(1, 0, 0)?.pixels).toEqual(frames[1].pixels);
    const tifffile = runPython<TifffileReport>(TIFFFILE_REPORT, [path]);
    expect(tifffile.dtype).toBe('float32');
    expect(tifffile.annotation).toMatchObject({ 'derivedFrom.path': derivedFrom.path, 'derivedFrom.uuid': derivedFrom.uuid });
    expect(tifffile.planeMd5['1/0/0']).toBe(md5Of(frames[1].pixels));
  });

  it('writes one OME-TIFF file per position', async () => {
    const path = join(directory, 'plate.ome.tif');
    const planes = [...tczPlanes({ t: 2, c: 1, z: 2, p: 2 })];
    const frames = planes.map((plane, sequence) => syntheticFrame(plane, sequence, { dtype: 'uint16', widthPx: 20, heightPx: 10 }));
    const writer = await openOmeTiffWriter(path, {
      sizes: { t: 2, p: 2, c: 1, z: 2 },
      dtype: 'uint16',
      widthPx: 20,
      heightPx: 10,
      pixelSizeUm: 1,
      positionNames: ['A1', 'B2'],
    });
    for (const frame of frames) await writer.write(frame);
    await writer.close();
    expect(writer.files).toEqual([join(directory, 'plate_p000.ome.tif'), join(directory, 'plate_p001.ome.tif')]);

    for (const [position, file] of writer.files.entries()) {
      const ours = await readOmeTiff(file);
      expect(ours.metadata.images[0].name).toBe(`plate ${position === 0 ? 'A1' : 'B2'}`);
      for (const frame of frames.filter((f) => f.meta.index.p === position)) {
        expect(ours.plane(frame.meta.index.t, 0, frame.meta.index.z)?.pixels).toEqual(frame.pixels);
      }
      const tifffile = runPython<TifffileReport>(TIFFFILE_REPORT, [file]);
      expect(tifffile.shape).toEqual([2, 1, 2, 10, 20, 1]);
      expect(tifffile.annotation).toMatchObject({ position: String(position), positionName: position === 0 ? 'A1' : 'B2' });
    }
  });

  it('rejects a frame that does not fit the layout and goes on writing the next', async () => {
    const path = join(directory, 'mismatch.ome.tif');
    const writer = await openOmeTiffWriter(path, { sizes: { t: 2, c: 1, z: 1 }, dtype: 'uint16', widthPx: 8, heightPx: 8, pixelSizeUm: 1 });
    const good = syntheticFrame({ t: 0, c: 0, z: 0 }, 0, { dtype: 'uint16', widthPx: 8, heightPx: 8 });
    await expect(writer.write(syntheticFrame({ t: 0, c: 0, z: 0 }, 7, { dtype: 'uint8', widthPx: 8, heightPx: 8 }))).rejects.toThrow(
      FrameLayoutMismatchError,
    );
    await expect(writer.write(syntheticFrame({ t: 0, c: 3, z: 0 }, 8, { dtype: 'uint16', widthPx: 8, heightPx: 8 }))).rejects.toThrow(
      /frame 8 .*channel index 3/,
    );
    await writer.write(good);
    await writer.close();
    await expect(writer.write(good)).rejects.toThrow(WriterClosedError);
    expect((await readOmeTiff(path)).planes).toHaveLength(1);
  });

  it('refuses to overwrite an existing file', async () => {
    const path = join(directory, 'existing.ome.tif');
    writeFileSync(path, 'precious');
    await expect(openOmeTiffWriter(path, layoutFor('uint16'))).rejects.toThrow(StorageWriteError);
    await expect(openOmeTiffWriter(path, layoutFor('uint16'))).rejects.toThrow(/existing\.ome\.tif/);
  });
});
