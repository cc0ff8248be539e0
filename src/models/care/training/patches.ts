import type { SeededRandom } from './seeded-random';

/** A 2-D image already normalised for the network. */
export interface TrainingImage {
  readonly pixels: Float32Array;
  readonly widthPx: number;
  readonly heightPx: number;
}

/** Square patches, NHWC with one channel: `count` × `sizePx`² values per array. */
export interface PatchSet {
  readonly count: number;
  readonly sizePx: number;
  readonly source: Float32Array;
  readonly target: Float32Array;
}

export class TrainingDataError extends Error {
  override readonly name = 'TrainingDataError';
}

export interface PatchSampling {
  readonly patchPx: number;
  readonly patchesPerImage: number;
  /**
   * CSBDeep's no-background filter: a patch is kept when its largest target value exceeds this fraction of the
   * target's 99.9th percentile (0 keeps every patch); after 20 rejections the last candidate is kept.
   */
  readonly foregroundThreshold?: number;
}

function percentile999(pixels: Float32Array): number {
  const sorted = Float32Array.from(pixels).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(0.999 * (sorted.length - 1)))];
}

function copyPatch(image: TrainingImage, y0: number, x0: number, size: number, out: Float32Array): void {
  for (let y = 0; y < size; y++) out.set(image.pixels.subarray((y0 + y) * image.widthPx + x0, (y0 + y) * image.widthPx + x0 + size), y * size);
}

/** Random patches from pairs of source and target images (the same positions in both). */
export function extractPatches(pairs: ReadonlyArray<{ source: TrainingImage; target: TrainingImage }>, sampling: PatchSampling, random: SeededRandom): PatchSet {
  const size = sampling.patchPx;
  const area = size * size;
  const count = pairs.length * sampling.patchesPerImage;
  const source = new Float32Array(count * area);
  const target = new Float32Array(count * area);
  const scratch = new Float32Array(area);
  let n = 0;
  pairs.forEach(({ source: s, target: t }, index) => {
    if (s.widthPx !== t.widthPx || s.heightPx !== t.heightPx) {
      throw new TrainingDataError(`pair ${index}: source is ${s.widthPx}×${s.heightPx}, target ${t.widthPx}×${t.heightPx}`);
    }
    if (s.widthPx < size || s.heightPx < size) throw new TrainingDataError(`pair ${index}: ${s.widthPx}×${s.heightPx} is smaller than a ${size}² patch`);
    const threshold = (sampling.foregroundThreshold ?? 0) * percentile999(t.pixels);
    for (let p = 0; p < sampling.patchesPerImage; p++) {
      let y0 = 0;
      let x0 = 0;
      for (let attempt = 0; attempt < 20; attempt++) {
        y0 = random.int(s.heightPx - size + 1);
        x0 = random.int(s.widthPx - size + 1);
        if (threshold <= 0) break;
        copyPatch(t, y0, x0, size, scratch);
        let max = -Infinity;
        for (let i = 0; i < area; i++) if (scratch[i] > max) max = scratch[i];
        if (max > threshold) break;
      }
      copyPatch(s, y0, x0, size, source.subarray(n * area, (n + 1) * area));
      copyPatch(t, y0, x0, size, target.subarray(n * area, (n + 1) * area));
      n++;
    }
  });
  return { count, sizePx: size, source, target };
}

/** Picks patches by index into a new set. */
export function selectPatches(set: PatchSet, indexes: readonly number[]): PatchSet {
  const area = set.sizePx * set.sizePx;
  const source = new Float32Array(indexes.length * area);
  const target = new Float32Array(indexes.length * area);
  indexes.forEach((i, k) => {
    source.set(set.source.subarray(i * area, (i + 1) * area), k * area);
    target.set(set.target.subarray(i * area, (i + 1) * area), k * area);
  });
  return { count: indexes.length, sizePx: set.sizePx, source, target };
}

/** Splits a patch set at random into training and validation parts (CSBDeep's validation_split). */
export function splitPatches(set: PatchSet, validationFraction: number, random: SeededRandom): { training: PatchSet; validation: PatchSet } {
  const order = random.shuffle(Array.from({ length: set.count }, (_, i) => i));
  const validationCount = Math.max(1, Math.round(set.count * validationFraction));
  if (validationCount >= set.count) throw new TrainingDataError(`${set.count} patches cannot be split into training and ${validationCount} for validation`);
  return { validation: selectPatches(set, order.slice(0, validationCount)), training: selectPatches(set, order.slice(validationCount)) };
}

/** One of the 8 symmetries of the square (rotations by 90° times an optional transpose), applied to a patch. */
export function dihedral(patch: Float32Array, size: number, op: number, out: Float32Array): void {
  const rotations = op & 3;
  const transpose = (op & 4) !== 0;
  const last = size - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sy = transpose ? x : y;
      let sx = transpose ? y : x;
      for (let r = 0; r < rotations; r++) {
        const t = sy;
        sy = last - sx;
        sx = t;
      }
      out[y * size + x] = patch[sy * size + sx];
    }
  }
}
