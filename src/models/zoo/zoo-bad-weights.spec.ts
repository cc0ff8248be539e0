import { resolve } from 'node:path';
import { runTsChild } from '../smlm/testing/run-ts-child';

interface ErrorSeen {
  readonly name: string;
  readonly message: string;
  readonly folder: string;
}

interface Findings {
  readonly garbage: ErrorSeen;
  readonly unknownOp: ErrorSeen;
  readonly nan: {
    readonly refusedOnLoad: { name: string; message: string } | null;
    readonly nonFiniteCount: number;
    readonly pixels: number;
    readonly flagged: boolean;
    readonly branchNonFinite: number;
  };
}

describe('Zoo packages with bad weights (checksums right, weights wrong)', () => {
  let findings: Findings;

  beforeAll(async () => {
    findings = await runTsChild<Findings>(resolve(__dirname, 'testing', 'bad-weights-child.ts'));
  }, 120_000);

  it('refuses a corrupt ONNX file, naming the package and the file', () => {
    expect(findings.garbage.name).toBe('ZooPackageError');
    expect(findings.garbage.message).toContain(findings.garbage.folder);
    expect(findings.garbage.message).toMatch(/model\.onnx does not open in ONNX Runtime/);
  });

  it('refuses a graph with an operator the runtime lacks, naming the operator', () => {
    expect(findings.unknownOp.name).toBe('ZooPackageError');
    expect(findings.unknownOp.message).toContain(findings.unknownOp.folder);
    expect(findings.unknownOp.message).toMatch(/NoSuchOperator/);
  });

  it('refuses on load a model whose output holds NaN (its test output is not reproduced), and flags such frames when checking is off', () => {
    expect(findings.nan.refusedOnLoad?.name).toBe('ZooReproducibilityError');
    expect(findings.nan.nonFiniteCount).toBeGreaterThan(0);
    expect(findings.nan.nonFiniteCount).toBeLessThan(findings.nan.pixels);
    expect(findings.nan.flagged).toBe(true);
    expect(findings.nan.branchNonFinite).toBeGreaterThan(0);
  });
});
