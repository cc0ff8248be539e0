import { SmlmInputError } from '../localisation';

/** The outcome of a SQUIRREL comparison (Culley et al., Nature Methods 15, 263, 2018). */
export interface SquirrelResult {
  /** Resolution-scaled Pearson coefficient between the blurred-back SR image and the widefield reference. */
  readonly rsp: number;
  /** Resolution-scaled error: RMS difference, in the reference's intensity units. */
  readonly rse: number;
  /** RSE over the reference's dynamic range (max − min), for comparing images of different brightness. */
  readonly rseRelative: number;
  /** Width of the fitted resolution-scaling function (Gaussian), camera pixels. */
  readonly rsfSigmaPx: number;
  /** Intensity scaling and offset mapping the blurred SR image onto the reference. */
  readonly alpha: number;
  readonly beta: number;
  /** |reference − α·(SR ⊗ RSF)↓ − β| on the camera grid (width × height). */
  readonly errorMap: Float32Array;
  /** The SR image blurred and binned back to the camera grid, scaled by α, β. */
  readonly resolutionScaled: Float32Array;
  readonly width: number;
  readonly height: number;
}

export interface SquirrelOptions {
  /** Search range of the RSF width, camera pixels. */
  readonly sigmaRangePx?: readonly [number, number];
  /** Pixels at the edges left out of the statistics (default: 2 camera pixels, when the image allows). */
  readonly borderPx?: number;
}

/** 1-D weights of a Gaussian of width sigmaSr followed by averaging over blocks of f pixels, by offset d − block start. */
function blurBinKernel(sigmaSr: number, f: number): { weights: Float64Array; first: number } {
  const r = Math.ceil(4 * sigmaSr);
  const g = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += g[i + r] = Math.exp(-(i * i) / (2 * sigmaSr * sigmaSr));
  for (let i = 0; i < g.length; i++) g[i] /= sum;
  // Source offsets x − X·f run from −r to f − 1 + r.
  const first = -r;
  const weights = new Float64Array(f + 2 * r);
  for (let k = 0; k < weights.length; k++) {
    const d = first + k;
    let w = 0;
    for (let j = 0; j < f; j++) {
      const o = j - d;
      if (o >= -r && o <= r) w += g[o + r];
    }
    weights[k] = w / f;
  }
  return { weights, first };
}

/** SR image blurred by a Gaussian (σ in SR pixels) and averaged over f×f blocks onto the camera grid. */
export function blurAndBin(sr: Float32Array, width: number, height: number, f: number, sigmaSr: number): Float64Array {
  const srWidth = width * f;
  const srHeight = height * f;
  const { weights, first } = blurBinKernel(Math.max(0.3, sigmaSr), f);
  const rows = new Float64Array(srHeight * width);
  for (let y = 0; y < srHeight; y++) {
    const srcRow = y * srWidth;
    for (let X = 0; X < width; X++) {
      const start = Math.max(0, X * f + first);
      const end = Math.min(srWidth - 1, X * f + first + weights.length - 1);
      let acc = 0;
      for (let x = start; x <= end; x++) acc += sr[srcRow + x] * weights[x - X * f - first];
      rows[y * width + X] = acc;
    }
  }
  const out = new Float64Array(width * height);
  for (let Y = 0; Y < height; Y++) {
    const start = Math.max(0, Y * f + first);
    const end = Math.min(srHeight - 1, Y * f + first + weights.length - 1);
    for (let y = start; y <= end; y++) {
      const w = weights[y - Y * f - first];
      const row = y * width;
      for (let X = 0; X < width; X++) out[Y * width + X] += w * rows[row + X];
    }
  }
  return out;
}

interface Fit {
  readonly alpha: number;
  readonly beta: number;
  readonly rmse: number;
}

function regress(reference: ArrayLike<number>, model: Float64Array, mask: Uint8Array): Fit {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < model.length; i++) {
    if (!mask[i]) continue;
    const x = model[i];
    const y = reference[i];
    n++; sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  const varX = sxx - (sx * sx) / n;
  const alpha = varX > 0 ? (sxy - (sx * sy) / n) / varX : 0;
  const beta = (sy - alpha * sx) / n;
  let se = 0;
  for (let i = 0; i < model.length; i++) if (mask[i]) se += (reference[i] - alpha * model[i] - beta) ** 2;
  return { alpha, beta, rmse: Math.sqrt(se / n) };
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>, mask: Uint8Array): number {
  let n = 0, sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) if (mask[i]) { n++; sa += a[i]; sb += b[i]; }
  const ma = sa / n, mb = sb / n;
  let cov = 0, va = 0, vb = 0;
  for (let i = 0; i < a.length; i++) {
    if (!mask[i]) continue;
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/**
 * SQUIRREL: finds the Gaussian resolution-scaling function and the intensity scaling (α, β) that best map the
 * super-resolved image onto the widefield reference (least squares; σ by golden-section search), then reports
 * RSP, RSE and the per-pixel error map on the camera grid.
 */
export function squirrel(reference: ArrayLike<number>, width: number, height: number, superResolved: Float32Array, upsampling: number, options: SquirrelOptions = {}): SquirrelResult {
  const f = upsampling;
  if (reference.length !== width * height) throw new SmlmInputError(`SQUIRREL: reference holds ${reference.length} pixels, expected ${width}×${height}`);
  if (superResolved.length !== width * height * f * f) {
    throw new SmlmInputError(`SQUIRREL: super-resolved image holds ${superResolved.length} pixels, expected ${width * f}×${height * f} (×${f} the reference)`);
  }
  const border = Math.min(options.borderPx ?? 2, Math.floor((Math.min(width, height) - 4) / 2));
  const mask = new Uint8Array(width * height);
  for (let y = Math.max(0, border); y < height - Math.max(0, border); y++) for (let x = Math.max(0, border); x < width - Math.max(0, border); x++) mask[y * width + x] = 1;
  const [lo, hi] = options.sigmaRangePx ?? [0.3, 4];
  const cache = new Map<number, { blurred: Float64Array; fit: Fit }>();
  const evaluate = (sigmaPx: number) => {
    const hit = cache.get(sigmaPx);
    if (hit) return hit;
    const blurred = blurAndBin(superResolved, width, height, f, sigmaPx * f);
    const result = { blurred, fit: regress(reference, blurred, mask) };
    cache.set(sigmaPx, result);
    return result;
  };
  // Coarse scan, then golden-section refinement around the best coarse value.
  const coarse = Array.from({ length: 12 }, (_, i) => lo * Math.pow(hi / lo, i / 11));
  let bestIndex = 0;
  coarse.forEach((s, i) => { if (evaluate(s).fit.rmse < evaluate(coarse[bestIndex]).fit.rmse) bestIndex = i; });
  let a = coarse[Math.max(0, bestIndex - 1)];
  let b = coarse[Math.min(coarse.length - 1, bestIndex + 1)];
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 14; it++) {
    const c = b - phi * (b - a);
    const d = a + phi * (b - a);
    if (evaluate(c).fit.rmse < evaluate(d).fit.rmse) b = d;
    else a = c;
  }
  let sigma = (a + b) / 2;
  for (const s of cache.keys()) if (evaluate(s).fit.rmse < evaluate(sigma).fit.rmse) sigma = s;
  const { blurred, fit } = evaluate(sigma);
  const resolutionScaled = new Float32Array(width * height);
  const errorMap = new Float32Array(width * height);
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < resolutionScaled.length; i++) {
    resolutionScaled[i] = fit.alpha * blurred[i] + fit.beta;
    errorMap[i] = Math.abs(reference[i] - resolutionScaled[i]);
    if (mask[i]) { min = Math.min(min, reference[i]); max = Math.max(max, reference[i]); }
  }
  return {
    rsp: pearson(reference, resolutionScaled, mask),
    rse: fit.rmse,
    rseRelative: max > min ? fit.rmse / (max - min) : 0,
    rsfSigmaPx: sigma,
    alpha: fit.alpha,
    beta: fit.beta,
    errorMap,
    resolutionScaled,
    width,
    height,
  };
}

/** Mean of the frames: the widefield reference SQUIRREL compares against. */
export function widefieldMean(frames: ReadonlyArray<ArrayLike<number>>, pixels: number): Float32Array {
  const sum = new Float64Array(pixels);
  for (const fr of frames) for (let i = 0; i < pixels; i++) sum[i] += fr[i];
  return Float32Array.from(sum, (v) => v / Math.max(1, frames.length));
}
