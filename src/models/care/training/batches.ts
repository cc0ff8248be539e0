import { maskBlindSpots, type BlindSpotOptions } from './blind-spot';
import { dihedral, type PatchSet } from './patches';
import type { SeededRandom } from './seeded-random';
import type { TrainingBatch } from './train-loop';

/** Draws batches from a patch set in shuffled passes, each patch under a random one of the 8 square symmetries. */
export class AugmentedBatches {
  private order: number[] = [];

  constructor(
    private readonly set: PatchSet,
    private readonly batchSize: number,
    private readonly random: SeededRandom,
    /** Noise2Void: mask the inputs' blind spots and take the loss there only. */
    private readonly blindSpot?: BlindSpotOptions,
  ) {}

  next(): TrainingBatch {
    const size = this.set.sizePx;
    const area = size * size;
    const x = new Float32Array(this.batchSize * area);
    const y = new Float32Array(this.batchSize * area);
    const mask = this.blindSpot ? new Float32Array(this.batchSize * area) : undefined;
    for (let b = 0; b < this.batchSize; b++) {
      if (this.order.length === 0) this.order = this.random.shuffle(Array.from({ length: this.set.count }, (_, i) => i));
      const index = this.order.pop()!;
      const op = this.random.int(8);
      const target = y.subarray(b * area, (b + 1) * area);
      dihedral(this.set.target.subarray(index * area, (index + 1) * area), size, op, target);
      if (this.blindSpot) mask!.set(maskBlindSpots(target, x.subarray(b * area, (b + 1) * area), size, this.random, this.blindSpot), b * area);
      else dihedral(this.set.source.subarray(index * area, (index + 1) * area), size, op, x.subarray(b * area, (b + 1) * area));
    }
    return { count: this.batchSize, sizePx: size, x, y, mask };
  }
}

/** Fixed validation batches (no augmentation; for Noise2Void, masks drawn once from `random`). */
export function validationBatches(set: PatchSet, batchSize: number, random: SeededRandom, blindSpot?: BlindSpotOptions): TrainingBatch[] {
  const size = set.sizePx;
  const area = size * size;
  const batches: TrainingBatch[] = [];
  for (let start = 0; start < set.count; start += batchSize) {
    const count = Math.min(batchSize, set.count - start);
    const y = set.target.slice(start * area, (start + count) * area);
    if (!blindSpot) {
      batches.push({ count, sizePx: size, x: set.source.slice(start * area, (start + count) * area), y });
      continue;
    }
    const x = new Float32Array(count * area);
    const mask = new Float32Array(count * area);
    for (let b = 0; b < count; b++) {
      mask.set(maskBlindSpots(y.subarray(b * area, (b + 1) * area), x.subarray(b * area, (b + 1) * area), size, random, blindSpot), b * area);
    }
    batches.push({ count, sizePx: size, x, y, mask });
  }
  return batches;
}
