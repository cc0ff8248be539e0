import { gaussianFilter, medianFilter, nonLocalMeans } from './classical-filters';
import { estimateNoiseSigma } from './noise-estimate';
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

export const GAUSSIAN_SIGMAS_PX = [0.5, 0.75, 1, 1.5, 2, 3, 4] as const;
export const MEDIAN_RADII_PX = [1, 2] as const;
/** Non-local means h, in units of the frame's noise σ (MAD of its Laplacian). */
export const NLM_H_PER_SIGMA = [0.4, 0.6, 0.8, 1, 1.3, 1.7, 2.2, 3] as const;

/** The rows that are classical denoisers (raw is the baseline, neither classical nor a model). */
export const CLASSICAL_METHODS: readonly string[] = ['gaussian', 'median', 'nlm'];

export interface CompareOptions {
  readonly gaussianSigmasPx?: readonly number[];
  readonly medianRadiiPx?: readonly number[];
  /** false leaves non-local means out (it costs about a second per 256² frame); default 7×7 patches, 21×21 search. */
  readonly nlm?: false | { readonly hPerSigma?: readonly number[]; readonly patchRadiusPx?: number; readonly searchRadiusPx?: number };
}

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

/** Non-local means with h swept (all h values share one pass over the offsets), the best mean PSNR kept. */
function bestNonLocalMeans(pairs: readonly GroundTruthPair[], options: Exclude<CompareOptions['nlm'], false | undefined>): MethodScore {
  const factors = options.hPerSigma ?? NLM_H_PER_SIGMA;
  const patchRadiusPx = options.patchRadiusPx ?? 3;
  const searchRadiusPx = options.searchRadiusPx ?? 10;
  const perPair = pairs.map((p) => {
    const sigma = estimateNoiseSigma(p.raw, p.widthPx, p.heightPx);
    const outputs = nonLocalMeans(p.raw, p.widthPx, p.heightPx, { h: factors.map((f) => f * sigma), sigma, patchRadiusPx, searchRadiusPx });
    return outputs.map((o) => restorationMetrics(o, p.groundTruth, p.widthPx, p.heightPx));
  });
  const best = factors
    .map((factor, k) => ({ factor, metrics: meanScores(perPair.map((m) => m[k])) }))
    .reduce((a, c) => (c.metrics.psnrDb > a.metrics.psnrDb ? c : a));
  const side = (n: number) => `${2 * n + 1}×${2 * n + 1}`;
  return { method: 'nlm', setting: `h ${best.factor}·sigma, patch ${side(patchRadiusPx)}, search ${side(searchRadiusPx)}`, ...best.metrics };
}

/**
 * Scores the raw input, the best Gaussian filter, the best median filter, the best non-local means and each named
 * restoration on the same images. The filters' settings are tuned on the test images themselves, which favours
 * them, not CARE.
 */
export async function compareDenoisers(
  pairs: readonly GroundTruthPair[],
  restorations: Readonly<Record<string, (pair: GroundTruthPair) => Promise<ArrayLike<number>>>>,
  options: CompareOptions = {},
): Promise<MethodScore[]> {
  const gaussian = bestSetting(pairs, options.gaussianSigmasPx ?? GAUSSIAN_SIGMAS_PX, (p, s) => gaussianFilter(p.raw, p.widthPx, p.heightPx, s));
  const median = bestSetting(pairs, options.medianRadiiPx ?? MEDIAN_RADII_PX, (p, r) => medianFilter(p.raw, p.widthPx, p.heightPx, r));
  const rows: MethodScore[] = [
    { method: 'raw', ...score(pairs, pairs.map((p) => p.raw)) },
    { method: 'gaussian', setting: `sigma ${gaussian.setting} px`, ...gaussian.metrics },
    { method: 'median', setting: `${2 * median.setting + 1}×${2 * median.setting + 1}`, ...median.metrics },
  ];
  if (options.nlm !== false) rows.push(bestNonLocalMeans(pairs, options.nlm ?? {}));
  for (const [method, restore] of Object.entries(restorations)) {
    const outputs: Array<ArrayLike<number>> = [];
    for (const pair of pairs) outputs.push(await restore(pair));
    rows.push({ method, ...score(pairs, outputs) });
  }
  return rows;
}
