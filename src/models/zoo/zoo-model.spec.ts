import { resolve } from 'node:path';
import { runTsChild } from '../smlm/testing/run-ts-child';
import type { ReproductionReport } from './reproduce';

interface ErrorSeen {
  readonly name: string;
  readonly message: string;
  readonly isShapeError: boolean;
}

interface ChildFindings {
  readonly unet: {
    readonly name: string;
    readonly report: ReproductionReport;
    readonly twoChannels: ErrorSeen | null;
    readonly shortPixels: ErrorSeen | null;
    readonly odd: { tiles: number; channels: number; heightPx: number; widthPx: number; low: number; high: number; nonFinite: number };
  };
  readonly v04: { readonly report: ReproductionReport };
  readonly tiling: { wholeTiles: number; tiledTiles: number; channels: number; maxDiff: number; maxAbs: number };
  readonly refused: ErrorSeen | null;
}

describe('Zoo models on ONNX Runtime', () => {
  let findings: ChildFindings;

  beforeAll(async () => {
    // In a child process: ONNX Runtime's outputs do not survive Jest's sandbox (see run-ts-child).
    findings = await runTsChild<ChildFindings>(resolve(__dirname, 'testing', 'zoo-child.ts'));
  }, 120_000);

  it("reproduces unet2d-nuclei-broad's test output on load (BioImage.IO tolerance)", () => {
    const { report } = findings.unet;
    expect(report.passed).toBe(true);
    expect(report.tolerance).toEqual({ relative: 1e-3, absolute: 1e-4, mismatchedPerMillion: 100 });
    expect(report.outputs[0].mismatched).toBe(0);
    expect(report.outputs[0].maxAbsDiff).toBeLessThan(1e-4);
  });

  it('reads the same package described in spec 0.4', () => {
    expect(findings.v04.report.passed).toBe(true);
    expect(findings.v04.report.outputs[0].maxAbsDiff).toBeLessThan(1e-4);
  });

  it('refuses an input of the wrong shape, naming the model and what it takes', () => {
    expect(findings.unet.twoChannels).toMatchObject({ name: 'ModelInputShapeError', isShapeError: true });
    expect(findings.unet.twoChannels!.message).toMatch(/UNet 2D Nuclei Broad.*takes 1 channel\(s\).*got 2/);
    expect(findings.unet.shortPixels!.message).toMatch(/100 pixels for a 64×64 image/);
  });

  it('tiles an image of another size than the network takes (700×500 into 512² tiles) back to the input size', () => {
    const { odd } = findings.unet;
    expect(odd).toMatchObject({ tiles: 2, channels: 1, heightPx: 700, widthPx: 500, nonFinite: 0 });
    expect(odd.low).toBeGreaterThanOrEqual(0);
    expect(odd.high).toBeLessThanOrEqual(1);
  });

  it('tiled prediction of a 700×500 image equals untiled prediction where the network takes both', () => {
    const { tiling } = findings;
    expect(tiling.wholeTiles).toBe(1);
    expect(tiling.tiledTiles).toBeGreaterThan(4);
    expect(tiling.channels).toBe(2);
    expect(tiling.maxAbs).toBeGreaterThan(0.1);
    expect(tiling.maxDiff).toBeLessThan(1e-4 * tiling.maxAbs);
  });

  it('refuses a package whose test input does not reproduce its test output', () => {
    expect(findings.refused?.name).toBe('ZooReproducibilityError');
    expect(findings.refused?.message).toMatch(/does not reproduce the test output: restored: max \|Δ\| 1\.00e-2/);
  });
});
