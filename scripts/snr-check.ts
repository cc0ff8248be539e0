/**
 * The agent's SNR estimate against the truth, across its light range (1–100 %, 100 ms, 128² dish frames). True
 * SNR of a frame = (p95 − p5 of the noise-free frame) / the true noise, the root-mean-square of the camera's noise
 * standard deviation (shot + read + rounding, camera-noise.ts) over the pixels whose noise-free value is at least
 * the frame's median: the same definition the estimate makes from the noisy frame alone.
 */
import { estimateSnr } from '../src/agent/observe/snr-estimate';
import { PhotodamageDish } from '../simulators/sample/photodamage';

export const SNR_LIGHTS_PERCENT = [1, 2, 3, 5, 8, 12, 20, 30, 45, 60, 80, 100];
const TIMES_S = [0, 1800, 3600];

export function trueSnr(clean: Float32Array, gainAduPerElectron: number, readNoiseElectrons: number): number {
  const sorted = Float32Array.from(clean).sort();
  const n = sorted.length;
  const median = sorted[Math.floor(n * 0.5)];
  let variance = 0;
  let count = 0;
  for (const electrons of clean) {
    if (electrons < median) continue;
    variance += gainAduPerElectron ** 2 * (electrons + readNoiseElectrons ** 2) + 1 / 12;
    count++;
  }
  const signal = gainAduPerElectron * (sorted[Math.floor(n * 0.95)] - sorted[Math.floor(n * 0.05)]);
  return signal / Math.sqrt(variance / count);
}

/** Spearman's rank correlation (average ranks for ties). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (v: readonly number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (ra.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

export interface SnrSample {
  readonly lightPercent: number;
  readonly truth: number;
  readonly estimate: number;
}

export function snrSamples(seeds: readonly number[], lightsPercent: readonly number[] = SNR_LIGHTS_PERCENT): SnrSample[] {
  const samples: SnrSample[] = [];
  for (const seed of seeds) {
    const dish = new PhotodamageDish({ seed });
    for (const t of TIMES_S) {
      dish.advanceTo(t);
      for (const lightPercent of lightsPercent) {
        const frame = dish.expose({ powerMw: lightPercent, wavelengthNm: 488 }, 100);
        samples.push({
          lightPercent,
          truth: trueSnr(frame.clean, dish.camera.gainAduPerElectron, dish.camera.readNoiseElectrons),
          estimate: estimateSnr(frame.raw, frame.widthPx, frame.heightPx),
        });
      }
    }
  }
  return samples;
}

export function snrCheck(seeds: readonly number[]) {
  const samples = snrSamples(seeds);
  const perLight = SNR_LIGHTS_PERCENT.map((lightPercent) => {
    const here = samples.filter((s) => s.lightPercent === lightPercent);
    const mean = (f: (s: SnrSample) => number) => here.reduce((sum, s) => sum + f(s), 0) / here.length;
    return {
      lightPercent,
      meanTrueSnr: round(mean((s) => s.truth)),
      meanEstimate: round(mean((s) => s.estimate)),
      meanRelativeError: round(mean((s) => s.estimate / s.truth - 1)),
      meanAbsRelativeError: round(mean((s) => Math.abs(s.estimate / s.truth - 1))),
    };
  });
  const monotone = perLight.every((row, i) => i === 0 || row.meanEstimate > perLight[i - 1].meanEstimate);
  return {
    definition:
      'true SNR = (p95 − p5 of the noise-free frame) / RMS of the true per-pixel noise std (shot + read + rounding) over pixels at or above the noise-free median; estimate = estimateSnr(raw frame)',
    frames: `${seeds.length} seeds (${seeds.join(', ')}) × times ${TIMES_S.join(', ')} s × ${SNR_LIGHTS_PERCENT.length} light levels, 100 ms, 128²`,
    spearman: round(
      spearman(
        samples.map((s) => s.estimate),
        samples.map((s) => s.truth),
      ),
    ),
    monotone,
    perLight,
  };
}

function round(v: number, digits = 4): number {
  return Number.isFinite(v) ? Number(v.toFixed(digits)) : v;
}
