import { gaussianFilter, medianFilter } from './classical-filters';
import { restorationMetrics, type RestorationMetrics } from './image-metrics';

/** A held-out test image: the noisy input and its noise-free ground truth (any units: metrics fit intensities). */
export interface GroundTruthPair {
  readonly raw: ArrayLike<number>;
  readonly groundTruth: ArrayLike<number>;
  readonly widthPx: number;
  readonly heightPx: number;
}

export interface MethodScore extends RestorationMetrics {
  readonly method: string;
  /** The classical filter's setting chosen (the one with the best mean PSNR on these very images). */
  readonly setting?: string;
}

export const GAUSSIAN_SIGMAS_PX = [0.5, 0.75, 1, 1.5, 2, 3] as const;
export const MEDIAN_RADII_PX = [1, 2] as const;

function meanScores(scores: readonly RestorationMetrics[]): RestorationMetrics {
  const mean = (f: (m: RestorationMetrics) => number) => scores.reduce((s, m) => s + f(m), 0) / scores.length;
  return { nrmse: mean((m) => m.nrmse), psnrDb: mean((m) => m.psnrDb), ssim: mean((m) => m.ssim) };
}

function score(pairs: readonly GroundTruthPair[], outputs: ReadonlyArray<ArrayLike<number>>): RestorationMetrics {
  return meanScores(pairs.map((p, i) => restorationMetrics(outputs[i], p.groundTruth, p.widthPx, p.heightPx)));
}

function bestSetting<T>(pairs: readonly GroundTruthPair[], settings: readonly T[], apply: (p: GroundTruthPair, s: T) => Float32Array) {
  return settings
    .map((setting) => ({ setting, metrics: score(pairs, pairs.map((p) => apply(p, setting))) }))
    .reduce((best, c) => (c.metrics.psnrDb > best.metrics.psnrDb ? c : best));
}

/**
 * Scores the raw input, the best Gaussian filter, the best median filter and each named restoration on the same
 * images. The filters' settings are tuned on the test images themselves, which favours them, not CARE.
 */
export async function compareDenoisers(
  pairs: readonly GroundTruthPair[],
  restorations: Readonly<Record<string, (pair: GroundTruthPair) => Promise<ArrayLike<number>>>>,
): Promise<MethodScore[]> {
  const gaussian = bestSetting(pairs, GAUSSIAN_SIGMAS_PX, (p, s) => gaussianFilter(p.raw, p.widthPx, p.heightPx, s));
  const median = bestSetting(pairs, MEDIAN_RADII_PX, (p, r) => medianFilter(p.raw, p.widthPx, p.heightPx, r));
  const rows: MethodScore[] = [
    { method: 'raw', ...score(pairs, pairs.map((p) => p.raw)) },
    { method: 'gaussian', setting: `sigma ${gaussian.setting} px`, ...gaussian.metrics },
    { method: 'median', setting: `${2 * median.setting + 1}×${2 * median.setting + 1}`, ...median.metrics },
  ];
  for (const [method, restore] of Object.entries(restorations)) {
    const outputs: Array<ArrayLike<number>> = [];
    for (const pair of pairs) outputs.push(await restore(pair));
    rows.push({ method, ...score(pairs, outputs) });
  }
  return rows;
}
