import { planChunks } from './chunk-plan';
import type { JobSpec } from './job-spec';

const dataset = (planeCount: number): JobSpec['dataset'] => ({
  key: 'a.tif',
  planeCount,
  widthPx: 8,
  heightPx: 8,
  pixelSizeUm: null,
  datasetUuid: null,
});
const storm: JobSpec['method'] = { kind: 'storm', model: 'm', runtime: 'onnx', pixelSizeNm: null };
const denoise: JobSpec['method'] = { kind: 'denoise', model: 'm', runtime: 'onnx' };
const sizes = { stormFramesPerChunk: 8, denoisePlanesPerChunk: 1 };

describe('planChunks', () => {
  it('cuts a movie into frame ranges of the configured size, the last one short, covering every frame once', () => {
    const chunks = planChunks({ method: storm, dataset: dataset(20) }, sizes);
    expect(chunks).toEqual([
      { index: 0, first: 0, count: 8 },
      { index: 1, first: 8, count: 8 },
      { index: 2, first: 16, count: 4 },
    ]);
  });

  it('gives CARE one chunk per plane', () => {
    expect(planChunks({ method: denoise, dataset: dataset(3) }, sizes).map((c) => [c.first, c.count])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
  });

  it('refuses a chunk size that is not a positive whole number', () => {
    expect(() => planChunks({ method: storm, dataset: dataset(3) }, { ...sizes, stormFramesPerChunk: 0 })).toThrow(
      /positive whole number of planes, got 0/,
    );
  });
});
