import * as tf from '@tensorflow/tfjs';
import { SmlmInputError } from '../localisation';
import { buildDeepStorm, PAPER_ARCHITECTURE, scaledArchitecture } from './architecture';
import { heatmapOf, matlabGaussian, HEATMAP_SCALE } from './heatmap';
import { normalizeFrame, projectToUnitRange, upsampleNearest } from './preprocess';

describe('Deep-STORM shapes and upsampling', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('upsamples ×8 by nearest neighbour, region by region, with a fill outside the frame', () => {
    const frame = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3 wide, 2 high
    const up = upsampleNearest(frame, 3, 2, 8);
    expect(up.length).toBe(24 * 16);
    expect(up[0]).toBe(1);
    expect(up[7]).toBe(1);
    expect(up[8]).toBe(2);
    expect(up[8 * 24]).toBe(4);
    expect(up[15 * 24 + 23]).toBe(6);
    const region = upsampleNearest(frame, 3, 2, 2, { x0: -1, y0: 1, width: 2, height: 2 }, -7);
    expect(Array.from(region)).toEqual([-7, -7, 4, 4, -7, -7, 4, 4, -7, -7, -7, -7, -7, -7, -7, -7]);
    expect(() => upsampleNearest(frame, 3, 2, 1.5)).toThrow(SmlmInputError);
  });

  it('projects to [0,1] and standardises with the training statistics', () => {
    expect(Array.from(projectToUnitRange([10, 20, 30]))).toEqual([0, 0.5, 1]);
    expect(Array.from(normalizeFrame([10, 20, 30], { mean: 0.5, std: 0.25 }))).toEqual([-2, 0, 2]);
    expect(Array.from(projectToUnitRange([7, 7]))).toEqual([0, 0]);
  });

  it('labels emitters with the paper heatmap: 100 × a 7×7 Gaussian of σ = 1 SR pixel', () => {
    const kernel = matlabGaussian(7, 1);
    expect(kernel.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const map = heatmapOf([{ xSrPx: 10.4, ySrPx: 12.9 }], 32, 32);
    expect(map.reduce((a, b) => a + b, 0)).toBeCloseTo(HEATMAP_SCALE, 3);
    expect(map[12 * 32 + 10]).toBeCloseTo(HEATMAP_SCALE * kernel[3 * 7 + 3], 4);
  });

  it('builds the paper network (1.37 M parameters) and keeps the input size at the output', () => {
    const paper = buildDeepStorm(PAPER_ARCHITECTURE);
    expect(paper.countParams()).toBe(1368128);
    paper.dispose();
    const small = buildDeepStorm(scaledArchitecture(0.125));
    const out = small.predict(tf.zeros([2, 40, 24, 1])) as tf.Tensor;
    expect(out.shape).toEqual([2, 40, 24, 1]);
    out.dispose();
    small.dispose();
  });
});
