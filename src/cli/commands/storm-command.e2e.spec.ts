import { runScope, type ScopeResult } from '../../../test/support/scope-cli';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlinkingMovie } from '../../../simulators/sample/blinking';
import { micrometers, openOmeTiffWriter, openTiffStack, readOmeTiff } from '../../acquisition/storage';
import type { Frame } from '../../acquisition/frame';
import { storageStackIo } from '../../models/io/storage-stack-io';

// ONNX Runtime does not load inside jest's VM, so the command runs as the real `scope` process.
const FRAMES = 20;
const SIZE_PX = 32;
const PIXEL_UM = 0.1;

const scope = (args: readonly string[]) => runScope(args);

async function writeBlinkingStack(path: string): Promise<void> {
  const movie = new BlinkingMovie({ seed: 3, widthPx: SIZE_PX, heightPx: SIZE_PX, densityPerUm2: 1, camera: { pixelSizeUm: PIXEL_UM } });
  const writer = await storageStackIo.createStack(path, {
    widthPx: SIZE_PX,
    heightPx: SIZE_PX,
    planeCount: FRAMES,
    sampleType: 'uint16',
    pixelSizeUm: PIXEL_UM,
    description: 'simulated blinking emitters',
  });
  for (const frame of movie.take(FRAMES)) await writer.writePlane(frame.pixels);
  await writer.close();
}

/** Two channels of two frames: not a single-channel time series. */
async function writeTwoChannelStack(path: string): Promise<void> {
  const writer = await openOmeTiffWriter(path, {
    sizes: { t: 2, c: 2, z: 1 },
    dtype: 'uint16',
    widthPx: SIZE_PX,
    heightPx: SIZE_PX,
    pixelSizeUm: PIXEL_UM,
  });
  let sequence = 0;
  for (let t = 0; t < 2; t++) {
    for (let c = 0; c < 2; c++) {
      const frame: Frame = {
        pixels: new Uint16Array(SIZE_PX * SIZE_PX).fill(100 + c),
        meta: {
          acquisitionId: 'two-channel',
          sequence: sequence++,
          index: { t, c },
          width: SIZE_PX,
          height: SIZE_PX,
          bitDepth: 16,
          pixelSizeUm: PIXEL_UM,
          exposureMs: 10,
          stage: {},
          camera: 'test',
          wallTimeMs: Date.now(),
        },
      };
      await writer.write(frame);
    }
  }
  await writer.close();
}

async function readSuperResolved(
  path: string,
): Promise<{ widthPx: number; heightPx: number; pixelSizeUm: number | undefined; pixels: ArrayLike<number> }> {
  const contents = await readOmeTiff(path);
  const pixels = contents.metadata.images[0].pixels;
  expect(contents.planes).toHaveLength(1);
  return {
    widthPx: pixels.sizeX,
    heightPx: pixels.sizeY,
    pixelSizeUm: micrometers(pixels.physicalSizeX),
    pixels: contents.planes[0].pixels,
  };
}

function expectFiniteNonNegative(pixels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) {
    expect(Number.isFinite(pixels[i]) && pixels[i] >= 0).toBe(true);
    sum += pixels[i];
  }
  return sum;
}

describe('scope storm (the real command line)', () => {
  let dir: string;
  let input: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'storm-cli-'));
    input = join(dir, 'blinking.ome.tif');
    await writeBlinkingStack(input);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('super-resolves a stack by Deep-STORM into an OME-TIFF ×8 the input grid with its physical pixel size', async () => {
    const output = join(dir, 'deep-storm.ome.tif');
    const run = await scope(['storm', input, output]);
    expect(run.stderr).not.toMatch(/scope storm: .*error/i);
    expect(run.code).toBe(0);
    const image = await readSuperResolved(output);
    expect(image.widthPx).toBe(SIZE_PX * 8);
    expect(image.heightPx).toBe(SIZE_PX * 8);
    expect(image.pixelSizeUm).toBeCloseTo(PIXEL_UM / 8, 6);
    expect(expectFiniteNonNegative(image.pixels)).toBeGreaterThan(0);
    const asStack = await openTiffStack(output);
    expect([asStack.widthPx, asStack.planeCount, asStack.sampleType]).toEqual([SIZE_PX * 8, 1, 'float32']);
    await asStack.close();
  });

  it('localises classically with --method classical, writing the localisations as CSV and the quality report', async () => {
    const output = join(dir, 'classical.ome.tif');
    const locs = join(dir, 'locs.csv');
    const quality = join(dir, 'quality.json');
    const run = await scope(['storm', input, output, '--method', 'classical', '--locs', locs, '--quality', quality]);
    expect(run.code).toBe(0);
    const lines = readFileSync(locs, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('frame,x_nm,y_nm,photons,sigma_nm,uncertainty_nm');
    expect(lines.length).toBeGreaterThan(10);
    const [frame, xNm, yNm] = lines[1].split(',').map(Number);
    expect(frame).toBeGreaterThanOrEqual(1);
    expect(xNm).toBeGreaterThanOrEqual(0);
    expect(yNm).toBeLessThan(SIZE_PX * PIXEL_UM * 1000);
    const report = JSON.parse(readFileSync(quality, 'utf8')) as { method: string; frames: number; superResolvedPixelSizeNm: number };
    expect(report).toMatchObject({ method: 'classical', frames: FRAMES, superResolvedPixelSizeNm: 12.5 });
    const image = await readSuperResolved(output);
    expect(image.pixelSizeUm).toBeCloseTo(PIXEL_UM / 8, 6);
    expectFiniteNonNegative(image.pixels);
  });

  describe('refusing inputs it cannot use', () => {
    const missing = () => join(dir, 'no-such-stack.tif');
    const twoChannel = () => join(dir, 'two-channel.ome.tif');
    let runs: { missing: ScopeResult; twoChannel: ScopeResult; badMethod: ScopeResult };

    // The three refusals run side by side: each is a whole process start, and none depends on another.
    beforeAll(async () => {
      await writeTwoChannelStack(twoChannel());
      const [a, b, c] = await Promise.all([
        scope(['storm', missing(), join(dir, 'never.ome.tif')]),
        scope(['storm', twoChannel(), join(dir, 'never2.ome.tif')]),
        scope(['storm', input, join(dir, 'never3.ome.tif'), '--method', 'magic']),
      ]);
      runs = { missing: a, twoChannel: b, badMethod: c };
    });

    it('exits with code 2 naming the file when the input does not exist', () => {
      expect(runs.missing.code).toBe(2);
      expect(runs.missing.stderr).toContain(missing());
    });

    it('refuses a stack of several channels, naming the file', () => {
      expect(runs.twoChannel.code).not.toBe(0);
      expect(runs.twoChannel.stderr).toContain(twoChannel());
      expect(runs.twoChannel.stderr).toMatch(/2 channel/);
    });

    it('answers a usage error with exit code 2 and the usage line', () => {
      expect(runs.badMethod.code).toBe(2);
      expect(runs.badMethod.stderr).toMatch(/--method/);
      expect(runs.badMethod.stderr).toMatch(/usage: scope storm/);
    });
  });
});
