import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../frame';
import {
  openOmeTiffWriter,
  openOmeZarrWriter,
  readOmeTiff,
  readOmeZarr,
  recoverDataset,
  StorageFullError,
  type FrameWriter,
} from './index';
import {
  md5Of,
  requireDebianPython,
  runPython,
  TIFFFILE_REPORT,
  ZARR_REPORT,
  type TifffileReport,
  type ZarrReport,
} from './test-support/debian-python';
import { syntheticFrame } from './test-support/synthetic-frames';

/**
 * A real full disk: a 2 MiB tmpfs mounted for the test (we run as root). Where mounting is not permitted, the
 * fallback makes Node's FileHandle.writev fail with ENOSPC after the same byte budget; the suite name says which.
 */
const directory = mkdtempSync(join(tmpdir(), 'storage-full-'));
const mounted = tryMountSmallTmpfs(directory);
const mode = mounted ? 'real 2 MiB tmpfs' : 'injected ENOSPC (mount not permitted)';
const BUDGET_BYTES = 2 * 1024 * 1024;

function tryMountSmallTmpfs(target: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=2m`, 'tmpfs', target], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let restoreWritev: (() => void) | undefined;
let budgetUsedBytes = 0;
beforeAll(async () => {
  requireDebianPython();
  console.log(`disk-full tests run on: ${mode}`);
  if (mounted) return;
  const probe = await open(join(directory, 'probe'), 'w');
  type Writev = (this: FileHandle, buffers: Uint8Array[], position?: number) => Promise<{ bytesWritten: number; buffers: Uint8Array[] }>;
  const prototype = Object.getPrototypeOf(probe) as { writev: Writev };
  await probe.close();
  const original = prototype.writev;
  // like a full disk: only bytes that grow a file need space; rewriting allocated bytes still works
  prototype.writev = async function (this: FileHandle, buffers: Uint8Array[], position?: number) {
    const bytes = buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0);
    const { size } = await this.stat();
    const growth = Math.max(0, (position ?? size) + bytes - size);
    if (budgetUsedBytes + growth > BUDGET_BYTES)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    budgetUsedBytes += growth;
    return original.call(this, buffers, position);
  };
  restoreWritev = () => (prototype.writev = original);
});
beforeEach(() => (budgetUsedBytes = 0));

afterAll(() => {
  restoreWritev?.();
  if (mounted) execFileSync('umount', [directory]);
  rmSync(directory, { recursive: true, force: true });
});

const frameOptions = { dtype: 'uint16' as const, widthPx: 256, heightPx: 256 }; // 128 KiB a frame: ~14 fit in 2 MiB
const layout = { sizes: { t: 40, c: 1, z: 1 }, dtype: 'uint16' as const, widthPx: 256, heightPx: 256, pixelSizeUm: 0.1 };
const frames: Frame[] = Array.from({ length: 40 }, (_, t) => syntheticFrame({ t, c: 0, z: 0 }, t, frameOptions));

/** Writes until the disk is full; returns the error and how many frames made it. */
async function writeUntilFull(writer: FrameWriter): Promise<{ error: unknown; written: number }> {
  for (const frame of frames) {
    try {
      await writer.write(frame);
    } catch (error) {
      return { error, written: writer.framesWritten };
    }
  }
  return { error: undefined, written: writer.framesWritten };
}

describe(`a full disk (${mode})`, () => {
  afterEach(() => {
    for (const name of ['full.ome.tif', 'full.ome.zarr']) rmSync(join(directory, name), { recursive: true, force: true });
  });

  it('stops the OME-TIFF writer with StorageFullError naming file and frame; every written plane stays readable', async () => {
    const path = join(directory, 'full.ome.tif');
    const writer = await openOmeTiffWriter(path, layout);
    const { error, written } = await writeUntilFull(writer);
    expect(error).toBeInstanceOf(StorageFullError);
    expect(error).toMatchObject({ path, frameIndex: written });
    expect((error as Error).message).toContain(`${path} (frame ${written})`);
    expect(written).toBeGreaterThan(3);
    await expect(writer.write(frames[written])).rejects.toBe(error);
    await writer.close();

    const ours = await readOmeTiff(path);
    expect(ours.planes.filter((plane) => !plane.blank)).toHaveLength(written);
    ours.planes.forEach((plane, t) => expect(md5Of(plane.pixels)).toBe(md5Of(frames[t].pixels)));
    const tifffile = runPython<TifffileReport>(TIFFFILE_REPORT, [path]);
    expect(tifffile.shape[0]).toBe(written);
    for (let t = 0; t < written; t++) expect(tifffile.planeMd5[`${t}/0/0`]).toBe(md5Of(frames[t].pixels));
    const report = await recoverDataset(path);
    expect(report.planes).toBe(written);
  });

  it('stops the OME-Zarr writer with StorageFullError; the chunks written stay readable', async () => {
    const path = join(directory, 'full.ome.zarr');
    const writer = await openOmeZarrWriter(path, layout);
    const { error, written } = await writeUntilFull(writer);
    expect(error).toBeInstanceOf(StorageFullError);
    expect(error).toMatchObject({ frameIndex: written });
    expect((error as StorageFullError).path).toContain(path);
    expect(written).toBeGreaterThan(3);
    await writer.close();

    const image = (await readOmeZarr(path)).images[0];
    expect(image.shape[0]).toBe(written);
    for (let t = 0; t < written; t++) expect(md5Of(await image.readPlane(t, 0, 0))).toBe(md5Of(frames[t].pixels));
    const zarr = runPython<ZarrReport>(ZARR_REPORT, [path, '']);
    for (let t = 0; t < written; t++) expect(zarr.planeMd5[`${t}/0/0`]).toBe(md5Of(frames[t].pixels));
    const report = await recoverDataset(path);
    expect(report.planes).toBe(written);
  });
});
