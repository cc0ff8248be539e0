import * as tf from '@tensorflow/tfjs';
import { TfjsRuntime } from '../../runtime/tfjs-runtime';
import { SmlmInputError } from '../localisation';
import { buildDeepStorm, scaledArchitecture } from './architecture';
import { predictDensities } from './predict-frames';

describe('predicting emitter densities over whole frames', () => {
  let runtime: TfjsRuntime;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    runtime = new TfjsRuntime(buildDeepStorm(scaledArchitecture(0.125), 5));
  });

  afterAll(async () => {
    await runtime.dispose();
  });

  const frame = (w: number, h: number, seed: number) => Float32Array.from({ length: w * h }, (_, i) => 100 + ((i * 7919 + seed * 104729) % 997) / 10);
  const options = { upsampling: 8, normalization: { mean: 0.3, std: 0.2 } };

  it('returns one ×8 map per frame, negatives clipped', async () => {
    const maps = await predictDensities([frame(5, 3, 1), frame(5, 3, 2)], 5, 3, runtime, options);
    expect(maps).toHaveLength(2);
    expect(maps[0].length).toBe(40 * 24);
    expect(Math.min(...maps[0])).toBeGreaterThanOrEqual(0);
  });

  it('gives the same densities tile by tile as on the whole frame (the halo covers the receptive field)', async () => {
    const f = frame(20, 12, 3);
    const [whole] = await predictDensities([f], 20, 12, runtime, { ...options, tileCorePx: 64 });
    const [tiled] = await predictDensities([f], 20, 12, runtime, { ...options, tileCorePx: 8, tileHaloPx: 6 });
    let maxDiff = 0;
    let maxAbs = 0;
    for (let i = 0; i < whole.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(whole[i] - tiled[i]));
      maxAbs = Math.max(maxAbs, whole[i]);
    }
    expect(maxAbs).toBeGreaterThan(0);
    expect(maxDiff).toBeLessThan(1e-4 * maxAbs);
  });

  it('names frames of the wrong size', async () => {
    await expect(predictDensities([new Float32Array(14)], 5, 3, runtime, options)).rejects.toThrow(SmlmInputError);
  });
});
