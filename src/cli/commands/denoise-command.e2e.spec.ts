import { runScope, type ScopeResult } from '../../../test/support/scope-cli';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTiffStack } from '../../acquisition/storage';
import { storageStackIo } from '../../models/io/storage-stack-io';
import { provenancePath } from './denoise.command';

// cli.spec.ts runs the command functions in-process with the tfjs runtime; this runs the real `scope` process
// (ONNX Runtime does not load inside jest's VM) with the shipped model, as a user would.
const WIDTH_PX = 48;
const HEIGHT_PX = 40;
const PLANES = 2;

const scope = (args: readonly string[]) => runScope(args);

async function writeNoisyStack(path: string): Promise<void> {
  const writer = await storageStackIo.createStack(path, {
    widthPx: WIDTH_PX,
    heightPx: HEIGHT_PX,
    planeCount: PLANES,
    sampleType: 'uint16',
    pixelSizeUm: 0.2,
    description: 'noisy test stack',
  });
  let seed = 7;
  for (let p = 0; p < PLANES; p++) {
    const pixels = new Uint16Array(WIDTH_PX * HEIGHT_PX);
    for (let i = 0; i < pixels.length; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      const x = i % WIDTH_PX;
      const y = Math.floor(i / WIDTH_PX);
      pixels[i] = 100 + 200 * Math.exp(-((x - WIDTH_PX / 2) ** 2 + (y - HEIGHT_PX / 2) ** 2) / 80) + 30 * (seed / 2 ** 32);
    }
    await writer.writePlane(pixels);
  }
  await writer.close();
}

describe('scope denoise (the real command line)', () => {
  let dir: string;
  let raw: string;
  let rawSha: string;
  let runs: { restore: ScopeResult; missing: ScopeResult };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'denoise-cli-'));
    raw = join(dir, 'raw.ome.tif');
    await writeNoisyStack(raw);
    rawSha = createHash('sha256').update(readFileSync(raw)).digest('hex');
    const [restore, missing] = await Promise.all([
      scope(['denoise', raw, join(dir, 'restored.ome.tif')]),
      scope(['denoise', join(dir, 'absent.tif'), join(dir, 'never.ome.tif')]),
    ]);
    runs = { restore, missing };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restores every plane with the shipped model into a float32 OME-TIFF of the same shape and pixel size', async () => {
    expect(runs.restore.code).toBe(0);
    const output = join(dir, 'restored.ome.tif');
    expect(JSON.parse(runs.restore.stdout.trim())).toMatchObject({ restored: output, planes: PLANES });
    const restored = await openTiffStack(output);
    try {
      expect([restored.widthPx, restored.heightPx, restored.planeCount, restored.sampleType]).toEqual([
        WIDTH_PX,
        HEIGHT_PX,
        PLANES,
        'float32',
      ]);
      expect(restored.pixelSizeUm).toBeCloseTo(0.2, 6);
      const plane = await restored.readPlane(1);
      expect(Array.from(plane).every(Number.isFinite)).toBe(true);
      // the command restores each plane into the same output arrays: plane 0 on disk must still be plane 0's
      expect(Array.from(await restored.readPlane(0))).not.toEqual(Array.from(plane));
    } finally {
      await restored.close();
    }
    expect(existsSync(provenancePath(output))).toBe(true);
    expect(createHash('sha256').update(readFileSync(raw)).digest('hex')).toBe(rawSha);
  });

  it('exits with code 2 naming the file when the input does not exist', () => {
    expect(runs.missing.code).toBe(2);
    expect(runs.missing.stderr).toContain(join(dir, 'absent.tif'));
  });
});
