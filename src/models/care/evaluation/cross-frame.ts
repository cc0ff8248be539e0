import { percentiles } from '../normalization';
import { gaussianFilter, medianFilter } from './classical-filters';
import { fitAffine, meanSquaredError } from './image-metrics';
import { GAUSSIAN_SIGMAS_PX, MEDIAN_RADII_PX } from './compare-denoisers';

/**
 * A restoration measure for real time-lapses without ground truth: restore frame t alone and compare it with the
 * raw next frame t+1 (after the least-squares affine intensity fit, which absorbs bleaching).
 *
 * Why it ranks denoisers by their true error: the camera noise of frame t+1 is independent of frame t and has
 * zero mean, so E‖f(x_t) − x_{t+1}‖² = ‖f(x_t) − s_{t+1}‖² + σ², where s is the clean signal and σ² the noise
 * variance: the same σ² for every method (Noise2Noise's argument, Lehtinen et al. 2018; Noise2Self uses the same
 * independence). The specimen's change between frames adds to every method alike; for a slow specimen it is
 * small, and the raw input (identity) pays its own noise twice: E = 2σ² + change. Lower is better.
 */

export interface NoisyFrame {
  readonly pixels: ArrayLike<number>;
  readonly widthPx: number;
  readonly heightPx: number;
}

export interface CrossFrameScore {
  readonly method: string;
  readonly setting?: string;
  /** Mean squared difference to the next raw frame, in units of that frame's 1–99.8 % percentile range squared. */
  readonly crossFrameMse: number;
  /** −10·log10 of it: a PSNR against the next noisy frame (its noise bounds it). */
  readonly crossFramePsnrDb: number;
  /** crossFrameMse relative to the raw input's (< 1: better than doing nothing). */
  readonly relativeToRaw: number;
}

function crossFrameMse(outputs: ReadonlyArray<ArrayLike<number>>, frames: readonly NoisyFrame[]): number {
  let sum = 0;
  for (let t = 0; t + 1 < frames.length; t++) {
    const next = frames[t + 1].pixels;
    const [low, high] = percentiles(next, [1, 99.8]);
    sum += meanSquaredError(fitAffine(outputs[t], next), next) / (high - low || 1) ** 2;
  }
  return sum / (frames.length - 1);
}

/** Scores the raw frames, tuned Gaussian and median filters, and each restoration, on consecutive frames. */
export async function crossFrameScores(
  frames: readonly NoisyFrame[],
  restorations: Readonly<Record<string, (frame: NoisyFrame) => Promise<ArrayLike<number>>>>,
): Promise<CrossFrameScore[]> {
  if (frames.length < 2) throw new Error(`the cross-frame measure needs at least 2 consecutive frames, got ${frames.length}`);
  const rawMse = crossFrameMse(frames.map((f) => f.pixels), frames);
  const row = (method: string, mse: number, setting?: string): CrossFrameScore => ({
    method,
    ...(setting ? { setting } : {}),
    crossFrameMse: mse,
    crossFramePsnrDb: -10 * Math.log10(mse),
    relativeToRaw: mse / rawMse,
  });
  const best = <T>(settings: readonly T[], apply: (f: NoisyFrame, s: T) => Float32Array) =>
    settings.map((s) => ({ s, mse: crossFrameMse(frames.map((f) => apply(f, s)), frames) })).reduce((a, b) => (b.mse < a.mse ? b : a));
  const gaussian = best(GAUSSIAN_SIGMAS_PX, (f, s) => gaussianFilter(f.pixels, f.widthPx, f.heightPx, s));
  const median = best(MEDIAN_RADII_PX, (f, r) => medianFilter(f.pixels, f.widthPx, f.heightPx, r));
  const rows = [row('raw', rawMse), row('gaussian', gaussian.mse, `sigma ${gaussian.s} px`), row('median', median.mse, `${2 * median.s + 1}×${2 * median.s + 1}`)];
  for (const [method, restore] of Object.entries(restorations)) {
    const outputs: Array<ArrayLike<number>> = [];
    for (const frame of frames.slice(0, -1)) outputs.push(await restore(frame));
    outputs.push(frames[frames.length - 1].pixels);
    rows.push(row(method, crossFrameMse(outputs, frames)));
  }
  return rows;
}
