import type { Planes } from './planes';
import type { ReproductionTolerance } from './zoo-description';

export interface OutputReproduction {
  readonly id: string;
  readonly maxAbsDiff: number;
  /** Elements outside |actual − expected| ≤ absolute + relative · |expected|. */
  readonly mismatched: number;
  readonly elements: number;
  readonly shapeMatches: boolean;
}

export interface ReproductionReport {
  readonly passed: boolean;
  readonly tolerance: ReproductionTolerance;
  readonly outputs: readonly OutputReproduction[];
  readonly summary: string;
}

/**
 * bioimageio.core's reproducibility check: an element mismatches when |actual − expected| > atol + rtol·|expected|;
 * the output passes with at most `mismatchedPerMillion` such elements per million.
 */
export function compareWithTestOutput(
  actual: ReadonlyArray<{ readonly id: string; readonly planes: Planes }>,
  expected: ReadonlyArray<{ readonly id: string; readonly planes: Planes }>,
  tolerance: ReproductionTolerance,
): ReproductionReport {
  const outputs = expected.map((e, k): OutputReproduction => {
    const a = actual[k]?.planes;
    const b = e.planes;
    const shapeMatches = !!a && a.channels === b.channels && a.heightPx === b.heightPx && a.widthPx === b.widthPx;
    if (!shapeMatches) return { id: e.id, maxAbsDiff: Infinity, mismatched: b.data.length, elements: b.data.length, shapeMatches };
    let maxAbsDiff = 0;
    let mismatched = 0;
    for (let i = 0; i < b.data.length; i++) {
      const diff = Math.abs(a.data[i] - b.data[i]);
      if (!(diff <= tolerance.absolute + tolerance.relative * Math.abs(b.data[i]))) mismatched++;
      if (!(diff <= maxAbsDiff)) maxAbsDiff = diff;
    }
    return { id: e.id, maxAbsDiff, mismatched, elements: b.data.length, shapeMatches };
  });
  const passed = outputs.every((o) => o.shapeMatches && (o.mismatched / o.elements) * 1e6 <= tolerance.mismatchedPerMillion);
  const summary = outputs
    .map((o) =>
      o.shapeMatches
        ? `${o.id}: max |Δ| ${o.maxAbsDiff.toExponential(2)}, ${o.mismatched} of ${o.elements} elements beyond atol ${tolerance.absolute} + rtol ${tolerance.relative}·|expected| (allowed ${tolerance.mismatchedPerMillion} per million)`
        : `${o.id}: output shape differs from the test output`,
    )
    .join('; ');
  return { passed, tolerance, outputs, summary };
}
