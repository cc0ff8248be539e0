import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOmeTiff, readOmeZarr, recoverDataset } from './index';
import { crashFrame, crashPlanes, writeThenKill } from './test-support/crash-plan';
import {
  md5Of,
  requireDebianPython,
  runPython,
  TIFFFILE_REPORT,
  ZARR_REPORT,
  type TifffileReport,
  type ZarrReport,
} from './test-support/debian-python';
import { TiffSource } from './tiff/tiff-structure';

const directory = mkdtempSync(join(tmpdir(), 'storage-crash-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
beforeAll(() => requireDebianPython());

const planes = crashPlanes();
const expectedMd5 = (sequence: number): string => md5Of(crashFrame(planes[sequence], sequence).pixels);

describe('crash safety: a writer killed with SIGKILL mid-acquisition', () => {
  it('leaves an OME-TIFF that tifffile and our reader read up to the last written frame, and recover finalizes it', async () => {
    const path = join(directory, 'killed.ome.tif');
    const reported = await writeThenKill('tiff', path, 10);

    const ours = await readOmeTiff(path);
    expect(ours.planes.length).toBeGreaterThanOrEqual(reported);
    for (const plane of ours.planes) {
      const sequence = plane.record!.meta!.sequence;
      expect(plane).toMatchObject({ t: planes[sequence].t, z: planes[sequence].z });
      expect(md5Of(plane.pixels)).toBe(expectedMd5(sequence));
    }
    const beforeRecovery = runPython<TifffileReport>(TIFFFILE_REPORT, [path]);
    expect(beforeRecovery.isOme).toBe(true);
    expect(beforeRecovery.pages).toBe(ours.planes.length);
    beforeRecovery.pageMd5.forEach((md5, sequence) => expect(md5).toBe(expectedMd5(sequence)));
    // the OME-XML of the last checkpoint (every 3 frames) lists at least the frames up to it
    expect(Number(beforeRecovery.pixels.SizeT) * 3).toBeGreaterThanOrEqual(reported - 3);

    // what a power cut can add: garbage past the end, and a link to an IFD that never reached the disk
    appendFileSync(path, Buffer.alloc(5000, 0xab));
    const source = await TiffSource.open(path);
    const { ifds } = await source.walkIfds();
    await source.close();
    const handle = await open(path, 'r+');
    const bogus = Buffer.alloc(8);
    bogus.writeBigUInt64LE(BigInt(statSync(path).size + 4096));
    await handle.write(bogus, 0, 8, ifds[ifds.length - 1].nextPointerOffset);
    await handle.close();

    const report = await recoverDataset(path);
    expect(report.format).toBe('ome-tiff');
    if (report.format !== 'ome-tiff') return;
    const [file] = report.files;
    expect(file.planes).toBe(ours.planes.length);
    expect(file.chainCut).toMatch(/outside the file/);
    expect(file.droppedBytes).toBeGreaterThan(5000 - 16); // alignment padding before the garbage is kept

    const written = ours.planes.length;
    const timePoints = Math.ceil(written / 3);
    const recovered = runPython<TifffileReport>(TIFFFILE_REPORT, [path]);
    expect(recovered.shape).toEqual([timePoints, 1, 3, 64, 96, 1]);
    expect(recovered.annotation.state).toBe('recovered');
    expect(recovered.planeElements).toBe(written);
    for (let sequence = 0; sequence < written; sequence++) {
      expect(recovered.planeMd5[`${planes[sequence].t}/0/${planes[sequence].z}`]).toBe(expectedMd5(sequence));
    }
    expect((await readOmeTiff(path)).metadata.images[0].pixels.sizeT).toBe(timePoints);
    const again = await recoverDataset(path);
    expect(again.format === 'ome-tiff' && again.files[0].alreadyComplete).toBe(true);
  });

  it('leaves an OME-Zarr store that zarr-python and our reader read, and recover sets the real shape', async () => {
    const path = join(directory, 'killed.ome.zarr');
    const reported = await writeThenKill('zarr', path, 10);

    const image = (await readOmeZarr(path)).images[0];
    expect(image.shape).toEqual([20, 1, 3, 64, 96]); // the planned shape, written at open
    expect(image.planeRecords.length).toBeGreaterThanOrEqual(reported);
    for (let sequence = 0; sequence < reported; sequence++) {
      expect(md5Of(await image.readPlane(planes[sequence].t, 0, planes[sequence].z))).toBe(expectedMd5(sequence));
    }
    const beforeRecovery = runPython<ZarrReport>(ZARR_REPORT, [path, '']);
    for (let sequence = 0; sequence < reported; sequence++) {
      expect(beforeRecovery.planeMd5[`${planes[sequence].t}/0/${planes[sequence].z}`]).toBe(expectedMd5(sequence));
    }

    // what a kill mid-write can leave: a torn journal line and a chunk that never got its final name
    appendFileSync(join(path, 'planes.jsonl'), '{"t":19,"c":0,');
    const someChunkDirectory = join(path, '0', '0', '0', '0', '0');
    writeFileSync(join(someChunkDirectory, '.partial-0'), Buffer.alloc(100));

    const report = await recoverDataset(path);
    expect(report.format).toBe('ome-zarr');
    if (report.format !== 'ome-zarr') return;
    const [recovered] = report.images;
    const written = recovered.planes;
    expect(written).toBeGreaterThanOrEqual(reported);
    expect(recovered.droppedFiles).toBeGreaterThanOrEqual(1);
    expect(recovered.droppedJournalBytes).toBe('{"t":19,"c":0,'.length);
    expect(readdirSync(someChunkDirectory)).toEqual(['0']);
    const zarr = runPython<ZarrReport>(ZARR_REPORT, [path, '']);
    expect(zarr.shape).toEqual([planes[written - 1].t + 1, 1, written >= 3 ? 3 : written, 64, 96]);
    expect(zarr.scope).toMatchObject({ state: 'recovered', planesWritten: written });
    for (let sequence = 0; sequence < written; sequence++) {
      expect(zarr.planeMd5[`${planes[sequence].t}/0/${planes[sequence].z}`]).toBe(expectedMd5(sequence));
    }
  });
});
