import type { AxisId } from './axis-ids';
import { planes, type Planes } from './planes';

/** Conversion between a sample (Planes, channel-first) and a tensor in the network's axis order (any order of b, c, y, x). */

function sizeAlong(axis: AxisId, p: { channels: number; heightPx: number; widthPx: number }): number {
  if (axis === 'b') return 1;
  if (axis === 'c') return p.channels;
  if (axis === 'y') return p.heightPx;
  if (axis === 'x') return p.widthPx;
  throw new RangeError(`axis ${axis} is not one of b, c, y, x`);
}

function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * dims[i + 1];
  return strides;
}

/** The strides of c, y and x within a tensor of `dims` laid out along `axes` (0 for an absent axis). */
function canonicalStrides(axes: readonly AxisId[], dims: readonly number[]): { c: number; y: number; x: number } {
  const strides = stridesOf(dims);
  const of = (a: AxisId) => (axes.includes(a) ? strides[axes.indexOf(a)] : 0);
  return { c: of('c'), y: of('y'), x: of('x') };
}

function permute(source: Float32Array, target: Float32Array, p: { channels: number; heightPx: number; widthPx: number }, strides: { c: number; y: number; x: number }, toModel: boolean): void {
  const { channels: C, heightPx: H, widthPx: W } = p;
  let i = 0;
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      const row = c * strides.c + y * strides.y;
      if (strides.x === 1) {
        if (toModel) target.set(source.subarray(i, i + W), row);
        else target.set(source.subarray(row, row + W), i);
        i += W;
        continue;
      }
      for (let x = 0; x < W; x++, i++) {
        if (toModel) target[row + x * strides.x] = source[i];
        else target[i] = source[row + x * strides.x];
      }
    }
  }
}

/** Whether the axes lay data out as channel-first planes already (b, c, y, x with b and c optional). */
function isChannelFirst(axes: readonly AxisId[]): boolean {
  return ['bcyx', 'cyx', 'byx', 'yx'].includes(axes.join(''));
}

/** The sample in the network's layout; shares `p.data` (no copy) when that layout is channel-first already. */
export function toModelLayout(p: Planes, axes: readonly AxisId[]): { data: Float32Array; dims: number[] } {
  const dims = axes.map((a) => sizeAlong(a, p));
  if (!axes.includes('c') && p.channels !== 1) throw new RangeError(`a tensor without channel axis cannot hold ${p.channels} channels`);
  if (isChannelFirst(axes)) return { data: p.data, dims };
  const data = new Float32Array(p.data.length);
  permute(p.data, data, p, canonicalStrides(axes, dims), true);
  return { data, dims };
}

/** A network tensor as a sample (its batch must be 1); shares `data` when the layout is channel-first already. */
export function fromModelLayout(data: Float32Array, dims: readonly number[], axes: readonly AxisId[]): Planes {
  if (dims.length !== axes.length) throw new RangeError(`tensor of rank ${dims.length} for axes ${axes.join('')}`);
  const size = (a: AxisId) => (axes.includes(a) ? dims[axes.indexOf(a)] : 1);
  if (size('b') !== 1) throw new RangeError(`tensor has batch ${size('b')}; one sample expected`);
  if (isChannelFirst(axes)) return planes(size('c'), size('y'), size('x'), data);
  const p = planes(size('c'), size('y'), size('x'));
  permute(data, p.data, p, canonicalStrides(axes, dims), false);
  return p;
}
