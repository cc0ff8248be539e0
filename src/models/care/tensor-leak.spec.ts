import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../runtime/tfjs-backend';
import { TfjsRuntime } from '../runtime/tfjs-runtime';
import { CareRestorer } from './care-restorer';
import { TINY_CARE_CONFIG, tinyCareNetwork } from './testing/tiny-care';

describe('tensor memory', () => {
  it('stays flat over 10,000 restored frames, with tiling and both uncertainty methods', async () => {
    await initTfjsBackend();
    const runtime = new TfjsRuntime(tinyCareNetwork());
    const laplace = new CareRestorer(runtime, TINY_CARE_CONFIG, { lowPercent: 1, highPercent: 99.8 }, { maxTilePx: 64 });
    const ensemble = new CareRestorer(runtime, TINY_CARE_CONFIG, { lowPercent: 1, highPercent: 99.8 }, { uncertainty: 'flip-ensemble' });
    const small = Float32Array.from({ length: 12 * 12 }, (_, i) => (i * 13) % 29);
    // 68 px wide: two overlapping tiles of 64.
    const wide = Float32Array.from({ length: 12 * 68 }, (_, i) => (i * 17) % 31);
    const restoreOne = (i: number) =>
      i % 50 === 0 ? laplace.restore(wide, 68, 12) : i % 50 === 25 ? ensemble.restore(small, 12, 12) : laplace.restore(small, 12, 12);
    // Warm-up: the backend allocates its first buffers here.
    for (let i = 0; i < 50; i++) await restoreOne(i);
    const before = tf.memory();
    const frames = 10_000;
    for (let i = 0; i < frames; i++) {
      small[i % small.length] += 1;
      await restoreOne(i);
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    await runtime.dispose();
  }, 120_000);
});
