import { runTsChild } from '../testing/run-ts-child';

interface Score {
  jaccard: number;
  recall: number;
  precision: number;
  rmseNm: number;
  widthPx: number;
  heightPx: number;
  pixelSizeNm: number;
}

describe('Deep-STORM (shipped model) against the classical baseline', () => {
  it('beats the baseline\u2019s Jaccard index at high density on simulated data (5 emitters/µm²)', async () => {
    // In a child process: ONNX Runtime's outputs do not survive Jest's sandbox, and simulation is faster outside it.
    const r = await runTsChild<{ runtime: string; emitters: number; deepStorm: Score; classical: Score }>('high-density-comparison.ts', ['deep-storm-default', '5']);
    expect(r.emitters).toBeGreaterThan(200);
    expect(r.deepStorm.widthPx).toBe(48 * 8);
    expect(r.deepStorm.heightPx).toBe(48 * 8);
    expect(r.deepStorm.pixelSizeNm).toBeCloseTo(12.5);
    expect(r.deepStorm.jaccard).toBeGreaterThan(r.classical.jaccard * 1.2);
    expect(r.deepStorm.precision).toBeGreaterThan(0.8);
  });
});
