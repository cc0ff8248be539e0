import { runScope, type ScopeResult } from '../../../test/support/scope-cli';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTiffStack } from '../../acquisition/storage';
import { storageStackIo } from '../../models/io/storage-stack-io';
import { UNET2D_NUCLEI_BROAD } from '../../models/zoo/testing/zoo-packages';

// The real `scope` process (ONNX Runtime does not load inside jest's VM) with the real Zoo package.
const WIDTH_PX = 96;
const HEIGHT_PX = 72;
const PLANES = 2;

const scope = (args: readonly string[]) => runScope(args);

/** Bright round "nuclei" on a dim background. */
async function writeNucleiStack(path: string): Promise<void> {
  const writer = await storageStackIo.createStack(path, {
    widthPx: WIDTH_PX,
    heightPx: HEIGHT_PX,
    planeCount: PLANES,
    sampleType: 'uint16',
    pixelSizeUm: 0.5,
    description: 'nuclei test stack',
  });
  for (let p = 0; p < PLANES; p++) {
    const pixels = new Uint16Array(WIDTH_PX * HEIGHT_PX);
    for (let i = 0; i < pixels.length; i++) {
      const x = i % WIDTH_PX;
      const y = Math.floor(i / WIDTH_PX);
      const inside = (x - 30 - 10 * p) ** 2 + (y - 36) ** 2 < 100 || (x - 70) ** 2 + (y - 20) ** 2 < 64;
      pixels[i] = 100 + (inside ? 800 : 0) + ((i * 7919) % 17);
    }
    await writer.writePlane(pixels);
  }
  await writer.close();
}

describe('scope predict (the real command line, a real Zoo package)', () => {
  let dir: string;
  let raw: string;
  let rawSha: string;
  let runs: { predict: ScopeResult; missingModel: ScopeResult; noModel: ScopeResult };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'predict-cli-'));
    raw = join(dir, 'nuclei.ome.tif');
    await writeNucleiStack(raw);
    rawSha = createHash('sha256').update(readFileSync(raw)).digest('hex');
    const predict = await scope(['predict', '--model', UNET2D_NUCLEI_BROAD, raw, join(dir, 'probability.ome.tif')]);
    const [missingModel, noModel] = await Promise.all([
      scope(['predict', '--model', join(dir, 'absent-model'), raw, join(dir, 'never.ome.tif')]),
      scope(['predict', raw, join(dir, 'never.ome.tif')]),
    ]);
    runs = { predict, missingModel, noModel };
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one float32 plane per input plane and output channel, the input size, linked to the raw data set', async () => {
    expect(runs.predict.stderr).toMatch(/predict nuclei\.ome\.tif .*done/);
    expect(runs.predict.code).toBe(0);
    const output = join(dir, 'probability.ome.tif');
    expect(JSON.parse(runs.predict.stdout.trim())).toMatchObject({
      output,
      planes: PLANES,
      channels: 1,
      runtime: 'onnxruntime-node',
      nonFinite: 0,
    });
    const source = await openTiffStack(raw);
    const sourceUuid = source.ome?.datasetUuid;
    await source.close();
    const result = await openTiffStack(output);
    try {
      expect([result.widthPx, result.heightPx, result.planeCount, result.sampleType]).toEqual([WIDTH_PX, HEIGHT_PX, PLANES, 'float32']);
      expect(sourceUuid).toBeTruthy();
      expect(result.ome?.derivedFrom).toEqual({ path: raw, uuid: sourceUuid });
      const plane = Array.from(await result.readPlane(0));
      expect(plane.every((v) => v >= 0 && v <= 1)).toBe(true);
      // A nucleus centre is more probably nucleus than the background corner.
      expect(plane[36 * WIDTH_PX + 30]).toBeGreaterThan(plane[2 * WIDTH_PX + 2]);
    } finally {
      await result.close();
    }
    expect(createHash('sha256').update(readFileSync(raw)).digest('hex')).toBe(rawSha);
  });

  it('exits with code 2 naming the problem when the model folder is missing or not given', () => {
    expect(runs.missingModel.code).toBe(2);
    expect(runs.missingModel.stderr).toContain('absent-model');
    expect(runs.noModel.code).toBe(2);
    expect(runs.noModel.stderr).toMatch(/--model/);
  });
});
