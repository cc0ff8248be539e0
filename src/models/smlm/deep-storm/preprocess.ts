import { SmlmInputError } from '../localisation';

/** Mean and standard deviation of [0,1]-projected training frames (the paper's `meanstd` file). */
export interface InputNormalization {
  readonly mean: number;
  readonly std: number;
}

/** Projects a frame linearly onto [0, 1] by its minimum and maximum (the paper's `project_01`). */
export function projectToUnitRange(frame: ArrayLike<number>): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < frame.length; i++) {
    const v = frame[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Float32Array(frame.length);
  const range = max - min;
  if (!(range > 0)) return out;
  for (let i = 0; i < frame.length; i++) out[i] = (frame[i] - min) / range;
  return out;
}

/** project_01 followed by standardisation with the training set's statistics. */
export function normalizeFrame(frame: ArrayLike<number>, normalization: InputNormalization): Float32Array {
  const out = projectToUnitRange(frame);
  const inv = 1 / normalization.std;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - normalization.mean) * inv;
  return out;
}

/**
 * Nearest-neighbour upsampling of a region of a frame by an integer factor (the paper's np.kron with ones). The
 * region may reach outside the frame; outside pixels take `fill`.
 */
export function upsampleNearest(
  frame: Float32Array,
  widthPx: number,
  heightPx: number,
  factor: number,
  region: { x0: number; y0: number; width: number; height: number } = { x0: 0, y0: 0, width: widthPx, height: heightPx },
  fill = 0,
  out: Float32Array = new Float32Array(region.width * region.height * factor * factor),
): Float32Array {
  if (!Number.isInteger(factor) || factor < 1) throw new SmlmInputError(`upsampling factor must be a positive integer, got ${factor}`);
  const outWidth = region.width * factor;
  for (let y = 0; y < region.height; y++) {
    const sy = region.y0 + y;
    const first = y * factor * outWidth;
    for (let x = 0; x < region.width; x++) {
      const sx = region.x0 + x;
      const v = sx >= 0 && sy >= 0 && sx < widthPx && sy < heightPx ? frame[sy * widthPx + sx] : fill;
      out.fill(v, first + x * factor, first + (x + 1) * factor);
    }
    // the other rows of the block repeat the first
    for (let dy = 1; dy < factor; dy++) out.copyWithin(first + dy * outWidth, first, first + outWidth);
  }
  return out;
}

/** Statistics of [0,1]-projected frames, averaged over frames as the paper does. */
export function normalizationOf(frames: ReadonlyArray<ArrayLike<number>>): InputNormalization {
  let meanSum = 0;
  let stdSum = 0;
  for (const f of frames) {
    const p = projectToUnitRange(f);
    let s = 0;
    for (const v of p) s += v;
    const m = s / p.length;
    let q = 0;
    for (const v of p) q += (v - m) * (v - m);
    meanSum += m;
    stdSum += Math.sqrt(q / p.length);
  }
  return { mean: meanSum / frames.length, std: stdSum / frames.length };
}
