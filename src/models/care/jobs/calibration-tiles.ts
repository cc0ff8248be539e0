import { percentiles } from '../normalization';
import type { RawImage } from '../training/train-care';

/**
 * Where a held-out frame is cut for PSNR calibration samples: a non-overlapping grid of square tiles (64 px on
 * frames of 256 px and more, else 32 px), at most 8 × 8 of them spread evenly over a larger frame, and only those
 * whose target holds some structure.
 */

export const MIN_TILE_PX = 32;
const LARGE_TILE_PX = 64;
const LARGE_FRAME_PX = 256;
const MAX_TILES_PER_SIDE = 8;
/**
 * A tile whose target spans less than this share of its frame's range (0.1–99.9 %, the PSNR metric's) is empty
 * background, a dish between cells: its figures say nothing of how the model restores a specimen.
 */
export const MIN_SIGNAL_FRACTION = 0.1;

export interface Tile {
  readonly xPx: number;
  readonly yPx: number;
  readonly sizePx: number;
}

export function tilePxFor(widthPx: number, heightPx: number): number | null {
  const side = Math.min(widthPx, heightPx);
  if (side < MIN_TILE_PX) return null;
  return side >= LARGE_FRAME_PX ? LARGE_TILE_PX : MIN_TILE_PX;
}

/** Up to MAX_TILES_PER_SIDE of the tile slots along one side, spread evenly and centred, in px. */
function positions(framePx: number, tilePx: number): number[] {
  const slots = Math.floor(framePx / tilePx);
  const count = Math.min(slots, MAX_TILES_PER_SIDE);
  const marginPx = Math.floor((framePx - slots * tilePx) / 2);
  return Array.from({ length: count }, (_, i) => marginPx + Math.floor((i * slots) / count) * tilePx);
}

export function tileGrid(widthPx: number, heightPx: number, tilePx: number): Tile[] {
  return positions(heightPx, tilePx).flatMap((yPx) => positions(widthPx, tilePx).map((xPx) => ({ xPx, yPx, sizePx: tilePx })));
}

export function crop(pixels: ArrayLike<number>, widthPx: number, tile: Tile): Float32Array {
  const out = new Float32Array(tile.sizePx * tile.sizePx);
  for (let y = 0; y < tile.sizePx; y++) {
    for (let x = 0; x < tile.sizePx; x++) out[y * tile.sizePx + x] = pixels[(tile.yPx + y) * widthPx + tile.xPx + x];
  }
  return out;
}

const spread = (pixels: ArrayLike<number>) => {
  const [low, high] = percentiles(pixels, [0.1, 99.9]);
  return high - low;
};

/** The grid's tiles whose target holds signal, and how many were left out. */
export function signalTiles(target: RawImage, tilePx: number): { readonly tiles: readonly Tile[]; readonly skipped: number } {
  const frameSpread = spread(target.pixels);
  const grid = tileGrid(target.widthPx, target.heightPx, tilePx);
  const tiles = grid.filter((tile) => spread(crop(target.pixels, target.widthPx, tile)) >= MIN_SIGNAL_FRACTION * frameSpread);
  return { tiles, skipped: grid.length - tiles.length };
}
