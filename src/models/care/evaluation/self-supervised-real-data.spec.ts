import { resolve } from 'node:path';
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { TfjsRuntime } from '../../runtime/tfjs-runtime';
import { storageStackIo } from '../../io/storage-stack-io';
import { CareRestorer } from '../care-restorer';
import { trainNoise2Void, type RawImage } from '../training/train-care';
import { crossFrameScores } from './cross-frame';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..', '..');
const TIME_LAPSE = resolve(PROJECT_ROOT, '..', 'shared', 'data', 'fluorescence', 'focal-adhesions-evolve-488.tif');

/** A 128² crop of every frame (the cell-rich centre), to keep the test small. */
async function croppedFrames(): Promise<RawImage[]> {
  const stack = await storageStackIo.openStack(TIME_LAPSE);
  const size = 128;
  const x0 = 192;
  const y0 = 192;
  const frames: RawImage[] = [];
  for (let f = 0; f < stack.planeCount; f++) {
    const plane = await stack.readPlane(f);
    const crop = new Float32Array(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) crop[y * size + x] = plane[(y0 + y) * stack.widthPx + x0 + x];
    frames.push({ pixels: crop, widthPx: size, heightPx: size });
  }
  await stack.close();
  return frames;
}

describe('self-supervised denoising of a real EMCCD time-lapse', () => {
  it('improves on the raw frames by the cross-frame measure, on frames it was not trained on', async () => {
    await initTfjsBackend();
    const frames = await croppedFrames();
    expect(frames).toHaveLength(23);
    const config = { kernelSize: 3, depth: 2, firstFilters: 8, convsPerLevel: 2, residual: false, probabilistic: false };
    const result = await trainNoise2Void(frames.slice(0, 16), {
      architecture: config,
      seed: 3,
      patchPx: 32,
      patchesPerImage: 8,
      validationFraction: 0.1,
      batchSize: 8,
      epochs: 4,
      stepsPerEpoch: 10,
      learningRate: 3e-3,
    });
    expect(result.history.bestValidationLoss).toBeLessThan(result.history.initialValidationLoss);
    const runtime = new TfjsRuntime(result.model);
    const restorer = new CareRestorer(runtime, config, { lowPercent: 1, highPercent: 99.8 });
    const rows = await crossFrameScores(frames.slice(16), { n2v: async (f) => (await restorer.restore(f.pixels, f.widthPx, f.heightPx)).restored });
    const byMethod = Object.fromEntries(rows.map((r) => [r.method, r]));
    expect(byMethod.raw.relativeToRaw).toBe(1);
    expect(byMethod.n2v.relativeToRaw).toBeLessThan(0.9);
    await runtime.dispose();
  }, 120_000);
});
