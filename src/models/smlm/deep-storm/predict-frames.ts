import { SmlmInputError } from '../localisation';
import type { InferenceRuntime } from '../../runtime/inference-runtime';
import { Float32Pool } from '../../runtime/float32-pool';
import { normalizeFrame, upsampleNearest, type InputNormalization } from './preprocess';

export interface PredictOptions {
  readonly upsampling: number;
  readonly normalization: InputNormalization;
  /** Frames larger than this (camera pixels, either side) are cut into tiles of this core size. */
  readonly tileCorePx?: number;
  /** Context added around each tile, camera pixels (covers the network's receptive field). */
  readonly tileHaloPx?: number;
}

interface Tile {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

function tilesOf(widthPx: number, heightPx: number, core: number): Tile[] {
  if (widthPx <= core && heightPx <= core) return [{ x0: 0, y0: 0, width: widthPx, height: heightPx }];
  const tiles: Tile[] = [];
  for (let y0 = 0; y0 < heightPx; y0 += core) {
    for (let x0 = 0; x0 < widthPx; x0 += core) {
      tiles.push({ x0, y0, width: Math.min(core, widthPx - x0), height: Math.min(core, heightPx - y0) });
    }
  }
  return tiles;
}

/**
 * Predicted emitter density of each frame on the ×upsampling grid, negatives clipped to 0 (as the paper).
 * Frames are normalised whole, then run as one batch when small, or tile by tile with a halo when large.
 */
export async function predictDensities(
  frames: ReadonlyArray<ArrayLike<number>>,
  widthPx: number,
  heightPx: number,
  runtime: InferenceRuntime,
  options: PredictOptions,
): Promise<Float32Array[]> {
  const outWidth = widthPx * options.upsampling;
  const outs = frames.map(() => new Float32Array(outWidth * heightPx * options.upsampling));
  await forEachDensityRow(frames, widthPx, heightPx, runtime, options, (k, src, from, to, count) => {
    const out = outs[k];
    for (let x = 0; x < count; x++) {
      const v = src[from + x];
      out[to + x] = v > 0 ? v : 0;
    }
  });
  return outs;
}

/**
 * The frames' densities summed and scaled (`scale` per unit of density) into one ×upsampling image: what live
 * reconstruction needs, without a map per frame.
 */
export async function sumDensities(
  frames: ReadonlyArray<ArrayLike<number>>,
  widthPx: number,
  heightPx: number,
  runtime: InferenceRuntime,
  options: PredictOptions,
  scale: number,
): Promise<Float32Array> {
  const sum = new Float32Array(widthPx * options.upsampling * heightPx * options.upsampling);
  await forEachDensityRow(frames, widthPx, heightPx, runtime, options, (_, src, from, to, count) => {
    for (let x = 0; x < count; x++) {
      const v = src[from + x];
      if (v > 0) sum[to + x] += v * scale;
    }
  });
  return sum;
}

/**
 * A row of one frame's predicted density (negatives not yet clipped): `count` values of `src` from `from`, which
 * belong on the ×upsampling grid from index `to`.
 */
type DensityRow = (frame: number, src: Float32Array, from: number, to: number, count: number) => void;

/** The network's input batches, kept from call to call (a fresh 4 MB batch costs more than its upsampling). */
const batches = new Float32Pool();

/** Runs the network and hands each row of each frame's density to `row`. */
async function forEachDensityRow(
  frames: ReadonlyArray<ArrayLike<number>>,
  widthPx: number,
  heightPx: number,
  runtime: InferenceRuntime,
  options: PredictOptions,
  row: DensityRow,
): Promise<void> {
  const f = options.upsampling;
  if (frames.some((fr) => fr.length !== widthPx * heightPx)) {
    throw new SmlmInputError(`every frame must hold ${widthPx}×${heightPx} = ${widthPx * heightPx} pixels`);
  }
  const core = options.tileCorePx ?? 128;
  const halo = options.tileHaloPx ?? 6;
  const outWidth = widthPx * f;
  if (frames.length === 0) return;
  const normalized = frames.map((fr) => normalizeFrame(fr, options.normalization));
  for (const tile of tilesOf(widthPx, heightPx, core)) {
    // The halo is clipped to the frame, so that frame edges look to the network as they do on a whole frame.
    const x0 = Math.max(0, tile.x0 - halo);
    const y0 = Math.max(0, tile.y0 - halo);
    const region = { x0, y0, width: Math.min(widthPx, tile.x0 + tile.width + halo) - x0, height: Math.min(heightPx, tile.y0 + tile.height + halo) - y0 };
    const rw = region.width * f;
    const rh = region.height * f;
    if (rw % 8 !== 0 || rh % 8 !== 0) {
      throw new SmlmInputError(`the network needs sides that are multiples of 8 after ×${f} upsampling; a ${region.width}×${region.height} region gives ${rw}×${rh}`);
    }
    const batch = batches.take(frames.length * rw * rh);
    normalized.forEach((n, k) => upsampleNearest(n, widthPx, heightPx, f, region, 0, batch.subarray(k * rw * rh, (k + 1) * rw * rh)));
    const { data: predicted } = await runtime.predict(batch, [frames.length, rh, rw, 1]).finally(() => batches.give(batch));
    for (let k = 0; k < frames.length; k++) {
      const src = predicted.subarray(k * rw * rh, (k + 1) * rw * rh);
      for (let y = 0; y < tile.height * f; y++) {
        const dstRow = (tile.y0 * f + y) * outWidth + tile.x0 * f;
        const srcRow = ((tile.y0 - region.y0) * f + y) * rw + (tile.x0 - region.x0) * f;
        row(k, src, srcRow, dstRow, tile.width * f);
      }
    }
  }
}
