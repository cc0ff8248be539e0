import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CareCheckpoint } from '../training/train-care';
import type { WeightValues } from '../training/train-loop';

const INDEX = 'checkpoint.json';

interface StoredCheckpoint {
  readonly bin: string;
  readonly phase: CareCheckpoint['phase'];
  readonly restoration?: CareCheckpoint['restoration'];
  readonly loop: Omit<CareCheckpoint['loop'], 'weights' | 'bestWeights'> & { readonly weightShapes: number[][]; readonly bestWeightShapes: number[][] };
}

const serialOf = (c: CareCheckpoint) => `${c.phase === 'restoration' ? 'r' : 'u'}${String(c.loop.epoch).padStart(5, '0')}`;

/**
 * A checkpoint on disk as two files: the weights (weights then best weights, float32) in checkpoint-<serial>.bin,
 * then the index naming it, each written whole and renamed into place, so that a kill at any moment leaves the
 * previous checkpoint or the new one, never half of one.
 */
export async function writeCheckpoint(dir: string, checkpoint: CareCheckpoint): Promise<void> {
  const bin = `checkpoint-${serialOf(checkpoint)}.bin`;
  const all = [...checkpoint.loop.weights, ...checkpoint.loop.bestWeights];
  const bytes = Buffer.concat(all.map((w) => Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength)));
  await writeFile(join(dir, `${bin}.tmp`), bytes);
  await rename(join(dir, `${bin}.tmp`), join(dir, bin));
  const { weights, bestWeights, ...loop } = checkpoint.loop;
  const stored: StoredCheckpoint = {
    bin,
    phase: checkpoint.phase,
    ...(checkpoint.restoration ? { restoration: checkpoint.restoration } : {}),
    loop: { ...loop, weightShapes: weights.map((w) => [...w.shape]), bestWeightShapes: bestWeights.map((w) => [...w.shape]) },
  };
  await writeFile(join(dir, `${INDEX}.tmp`), JSON.stringify(stored));
  await rename(join(dir, `${INDEX}.tmp`), join(dir, INDEX));
  for (const old of await readdir(dir)) if (/^checkpoint-.*\.bin$/.test(old) && old !== bin) await rm(join(dir, old), { force: true });
}

export async function readCheckpoint(dir: string): Promise<CareCheckpoint | null> {
  if (!existsSync(join(dir, INDEX))) return null;
  const stored = JSON.parse(await readFile(join(dir, INDEX), 'utf8')) as StoredCheckpoint;
  const bytes = await readFile(join(dir, stored.bin));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const take = (shapes: number[][]): WeightValues[] =>
    shapes.map((shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const w = { shape, values: values.slice(offset, offset + size) };
      offset += size;
      return w;
    });
  const { weightShapes, bestWeightShapes, ...loop } = stored.loop;
  const weights = take(weightShapes);
  const bestWeights = take(bestWeightShapes);
  return { phase: stored.phase, ...(stored.restoration ? { restoration: stored.restoration } : {}), loop: { ...loop, weights, bestWeights } };
}
