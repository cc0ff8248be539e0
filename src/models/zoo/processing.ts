import type { AxisId } from './axis-ids';
import { planes, type Planes } from './planes';
import type { PerAxisValue, ProcessingStep } from './processing-steps';

/**
 * Applies the spec's processing steps to one whole sample (before tiling, so that statistics do not depend on
 * the tile grid), as bioimageio.core does: percentiles by linear interpolation (numpy's default), standard
 * deviation over the population, `(x − mean) / (std + eps)` and `(x − low) / (high − low + eps)`.
 */

export class ProcessingError extends Error {
  override readonly name = 'ProcessingError';
}

/** Other tensors of the sample by id, for steps with a `reference_tensor`. */
export type TensorLookup = (id: string) => Planes | undefined;

/** Maps every element to the group it is reduced with: one group per index of the axes not in `axes`. */
function groupsOf(p: Planes, axes: readonly AxisId[] | null): { groupOf: (i: number) => number; count: number } {
  const reduce = (a: AxisId) => axes === null || axes.includes(a);
  const { channels: C, heightPx: H, widthPx: W } = p;
  const keepC = !reduce('c');
  const keepY = !reduce('y');
  const keepX = !reduce('x');
  const count = (keepC ? C : 1) * (keepY ? H : 1) * (keepX ? W : 1);
  // The common cases without index arithmetic: one group, or one per channel.
  if (count === 1) return { groupOf: () => 0, count };
  if (keepC && !keepY && !keepX) {
    const plane = H * W;
    return { groupOf: (i: number) => (i / plane) | 0, count };
  }
  const groupOf = (i: number) => {
    const x = i % W;
    const y = Math.floor(i / W) % H;
    const c = Math.floor(i / (W * H));
    return ((keepC ? c : 0) * (keepY ? H : 1) + (keepY ? y : 0)) * (keepX ? W : 1) + (keepX ? x : 0);
  };
  return { groupOf, count };
}

/** numpy.percentile (method 'linear') of sorted values. */
export function percentileOfSorted(sorted: Float32Array | Float64Array, percent: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (percent / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function groupValues(p: Planes, axes: readonly AxisId[] | null): Float32Array[] {
  const { groupOf, count } = groupsOf(p, axes);
  if (count === 1) return [p.data.slice()];
  const sizes = new Int32Array(count);
  for (let i = 0; i < p.data.length; i++) sizes[groupOf(i)]++;
  const out = Array.from(sizes, (n) => new Float32Array(n));
  const fill = new Int32Array(count);
  for (let i = 0; i < p.data.length; i++) {
    const g = groupOf(i);
    out[g][fill[g]++] = p.data[i];
  }
  return out;
}

/** Per-group mean and population standard deviation (accumulated in float64). */
export function meanStd(p: Planes, axes: readonly AxisId[] | null): { mean: Float64Array; std: Float64Array; groupOf: (i: number) => number } {
  const { groupOf, count } = groupsOf(p, axes);
  if (count === 1) {
    // Indexed loops: the frame path runs this on every frame, and typed-array iterators cost several ms at 512².
    const data = p.data;
    const n = data.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += data[i];
    const m = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = data[i] - m;
      sq += d * d;
    }
    return { mean: Float64Array.of(m), std: Float64Array.of(Math.sqrt(sq / n)), groupOf };
  }
  const sum = new Float64Array(count);
  const n = new Float64Array(count);
  for (let i = 0; i < p.data.length; i++) {
    const g = groupOf(i);
    sum[g] += p.data[i];
    n[g]++;
  }
  const mean = sum.map((s, g) => s / n[g]);
  const sq = new Float64Array(count);
  for (let i = 0; i < p.data.length; i++) {
    const g = groupOf(i);
    sq[g] += (p.data[i] - mean[g]) ** 2;
  }
  return { mean, std: sq.map((s, g) => Math.sqrt(s / n[g])), groupOf };
}

export function percentiles(p: Planes, axes: readonly AxisId[] | null, lowPercent: number, highPercent: number): { low: Float64Array; high: Float64Array; groupOf: (i: number) => number } {
  const values = groupValues(p, axes);
  const low = new Float64Array(values.length);
  const high = new Float64Array(values.length);
  values.forEach((v, g) => {
    v.sort();
    low[g] = percentileOfSorted(v, lowPercent);
    high[g] = percentileOfSorted(v, highPercent);
  });
  return { low, high, groupOf: groupsOf(p, axes).groupOf };
}

/** A scalar, or a per-channel list indexed by the element's channel. */
function perChannel(value: PerAxisValue, axis: AxisId | null, p: Planes, what: string): (i: number) => number {
  if (typeof value === 'number') return () => value;
  if (value.length === 1) return () => value[0];
  if (axis !== null && axis !== 'c') throw new ProcessingError(`${what}: values along axis ${axis} are not supported (only along channels)`);
  if (value.length !== p.channels) throw new ProcessingError(`${what}: ${value.length} values for ${p.channels} channels`);
  const n = p.heightPx * p.widthPx;
  return (i) => value[Math.floor(i / n)];
}

const INTEGER_RANGE: Record<string, [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
  int64: [-(2 ** 63), 2 ** 63],
  uint64: [0, 2 ** 64],
};

function map(p: Planes, f: (v: number, i: number) => number): Planes {
  const out = new Float32Array(p.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(p.data[i], i);
  return planes(p.channels, p.heightPx, p.widthPx, out);
}

export function applyStep(p: Planes, step: ProcessingStep, lookup: TensorLookup = () => undefined): Planes {
  switch (step.kind) {
    case 'ensure_dtype': {
      if (step.dtype === 'bool') return map(p, (v) => (v !== 0 ? 1 : 0));
      const range = INTEGER_RANGE[step.dtype];
      // Floats are kept as float32 (the networks' type).
      if (!range) return p;
      return map(p, (v) => Math.min(range[1], Math.max(range[0], Math.trunc(v))));
    }
    case 'scale_linear': {
      const gain = perChannel(step.gain, step.axis, p, 'scale_linear gain');
      const offset = perChannel(step.offset, step.axis, p, 'scale_linear offset');
      return map(p, (v, i) => v * gain(i) + offset(i));
    }
    case 'scale_range': {
      const source = step.referenceTensor ? lookup(step.referenceTensor) : p;
      if (!source) throw new ProcessingError(`scale_range: reference tensor "${step.referenceTensor}" is not part of the sample`);
      const { low, high, groupOf } = percentiles(source, step.axes, step.minPercentile, step.maxPercentile);
      if (source !== p && low.length !== 1 && (source.channels !== p.channels || source.heightPx !== p.heightPx || source.widthPx !== p.widthPx)) {
        throw new ProcessingError(`scale_range: reference tensor "${step.referenceTensor}" has another shape and per-element statistics`);
      }
      return map(p, (v, i) => {
        const g = groupOf(i);
        return (v - low[g]) / (high[g] - low[g] + step.eps);
      });
    }
    case 'zero_mean_unit_variance': {
      const { mean, std, groupOf } = meanStd(p, step.axes);
      if (mean.length === 1) {
        const m = mean[0];
        const scale = 1 / (std[0] + step.eps);
        const data = p.data;
        const out = new Float32Array(data.length);
        for (let i = 0; i < out.length; i++) out[i] = (data[i] - m) * scale;
        return planes(p.channels, p.heightPx, p.widthPx, out);
      }
      return map(p, (v, i) => {
        const g = groupOf(i);
        return (v - mean[g]) / (std[g] + step.eps);
      });
    }
    case 'fixed_zero_mean_unit_variance': {
      const mean = perChannel(step.mean, step.axis, p, 'fixed_zero_mean_unit_variance mean');
      const std = perChannel(step.std, step.axis, p, 'fixed_zero_mean_unit_variance std');
      return map(p, (v, i) => (v - mean(i)) / (std(i) + step.eps));
    }
    case 'clip':
      return map(p, (v) => Math.min(step.max, Math.max(step.min, v)));
    case 'sigmoid': {
      const out = new Float32Array(p.data.length);
      const data = p.data;
      for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-data[i]));
      return planes(p.channels, p.heightPx, p.widthPx, out);
    }
    case 'binarize': {
      const threshold = perChannel(step.threshold, step.axis, p, 'binarize threshold');
      return map(p, (v, i) => (v > threshold(i) ? 1 : 0));
    }
  }
}

export function applySteps(p: Planes, steps: readonly ProcessingStep[], lookup?: TensorLookup): Planes {
  return steps.reduce((current, step) => applyStep(current, step, lookup), p);
}
