import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { storageStackIo } from '../../io/storage-stack-io';
import type { RawImage } from '../training/train-care';

/** Training data that cannot be trained on as given (missing, empty, mismatched, NaN or constant frames): 400. */
export class TrainingDataRefusedError extends Error {
  override readonly name = 'TrainingDataRefusedError';
}

const TIFF = /\.tiff?$/i;

export interface NamedImage extends RawImage {
  /** File (relative to the data folder) and plane it came from, for messages and reports. */
  readonly name: string;
}

export interface LoadedPairs {
  readonly kind: 'pairs';
  readonly pairs: ReadonlyArray<{ readonly name: string; readonly source: NamedImage; readonly target: NamedImage }>;
}

export interface LoadedFrames {
  readonly kind: 'frames';
  readonly frames: readonly NamedImage[];
}

function tiffNames(dir: string, field: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TrainingDataRefusedError(`${field}: no folder ${dir}`);
  const names = readdirSync(dir)
    .filter((n) => TIFF.test(n))
    .sort();
  if (names.length === 0) throw new TrainingDataRefusedError(`${field}: ${dir} holds no .tif files`);
  return names;
}

/** Every plane of a TIFF, checked: finite, and not constant (a constant frame has nothing to learn from). */
async function readChecked(path: string, label: string): Promise<NamedImage[]> {
  const stack = await storageStackIo.openStack(path);
  try {
    const planes: NamedImage[] = [];
    for (let i = 0; i < stack.planeCount; i++) {
      const pixels = Float32Array.from(await stack.readPlane(i));
      const name = stack.planeCount > 1 ? `${label} plane ${i}` : label;
      let bad = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const v of pixels) {
        if (!Number.isFinite(v)) bad++;
        else {
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
      if (bad) throw new TrainingDataRefusedError(`${name}: ${bad} of ${pixels.length} pixels are NaN or infinite`);
      if (max === min) throw new TrainingDataRefusedError(`${name}: every pixel is ${min}; a constant frame carries nothing to learn`);
      planes.push({ name, pixels, widthPx: stack.widthPx, heightPx: stack.heightPx });
    }
    return planes;
  } catch (err) {
    if (err instanceof TrainingDataRefusedError) throw err;
    throw new TrainingDataRefusedError(`${label}: not a readable TIFF (${(err as Error).message})`);
  } finally {
    await stack.close();
  }
}

/** CSBDeep's layout, <dir>/low/x.tif against <dir>/high/x.tif: the same names, plane counts and sizes on both sides. */
export async function loadPairs(dir: string, field: string): Promise<LoadedPairs> {
  const low = tiffNames(join(dir, 'low'), field);
  const high = tiffNames(join(dir, 'high'), field);
  const onlyLow = low.filter((n) => !high.includes(n));
  const onlyHigh = high.filter((n) => !low.includes(n));
  if (onlyLow.length || onlyHigh.length) {
    throw new TrainingDataRefusedError(
      `${field}: low/ has ${low.length} files and high/ ${high.length}; ` +
        [onlyLow.length ? `no high/ for ${onlyLow.join(', ')}` : '', onlyHigh.length ? `no low/ for ${onlyHigh.join(', ')}` : ''].filter(Boolean).join('; '),
    );
  }
  const pairs: Array<LoadedPairs['pairs'][number]> = [];
  for (const name of low) {
    const sources = await readChecked(join(dir, 'low', name), `low/${name}`);
    const targets = await readChecked(join(dir, 'high', name), `high/${name}`);
    if (sources.length !== targets.length) throw new TrainingDataRefusedError(`${field}: ${name} has ${sources.length} planes in low/ but ${targets.length} in high/`);
    sources.forEach((source, i) => {
      const target = targets[i];
      if (source.widthPx !== target.widthPx || source.heightPx !== target.heightPx) {
        throw new TrainingDataRefusedError(`${field}: ${source.name} is ${source.widthPx}×${source.heightPx} px but ${target.name} is ${target.widthPx}×${target.heightPx} px`);
      }
      pairs.push({ name: sources.length > 1 ? `${name} plane ${i}` : name, source, target });
    });
  }
  return { kind: 'pairs', pairs };
}

/** Every plane of every TIFF in a folder, for Noise2Void. */
export async function loadNoisyFrames(dir: string, field: string): Promise<LoadedFrames> {
  const frames: NamedImage[] = [];
  for (const name of tiffNames(dir, field)) frames.push(...(await readChecked(join(dir, name), name)));
  return { kind: 'frames', frames };
}

/** Frames must hold at least one training patch. */
export function checkPatchFits(images: readonly RawImage[], patchPx: number): void {
  const small = images.find((i) => i.widthPx < patchPx || i.heightPx < patchPx);
  if (small) throw new TrainingDataRefusedError(`patchPx: ${patchPx} px patches do not fit in ${small.widthPx}×${small.heightPx} px frames; ask for a smaller patchPx`);
}
