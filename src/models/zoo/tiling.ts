import { planes, type Planes } from './planes';

/**
 * Tiling of a whole (already pre-processed) sample for a network that takes other sizes than the image: tiles of
 * the size the network takes, overlapping by twice the output halo; each tile contributes its output without the
 * halo, except at the image's own borders. Tiles lie inside the image when it is large enough (so border pixels
 * see the same context as in an untiled run) and start on multiples of `alignPx` (the network's pooling grid);
 * an image smaller than a tile is padded by reflection.
 */

export interface AxisTile {
  /** First pixel of the tile in padded coordinates. */
  readonly start: number;
  /** The image pixels [ownFrom, ownTo) this tile's output is used for. */
  readonly ownFrom: number;
  readonly ownTo: number;
}

export interface AxisPlan {
  readonly lengthPx: number;
  readonly tilePx: number;
  readonly padBefore: number;
  readonly tiles: readonly AxisTile[];
}

export class TilingError extends Error {
  override readonly name = 'TilingError';
}

export function planAxis(lengthPx: number, tilePx: number, haloPx: number, alignPx = 1): AxisPlan {
  if (lengthPx <= tilePx) {
    const padBefore = Math.floor((tilePx - lengthPx) / 2);
    return { lengthPx, tilePx, padBefore, tiles: [{ start: 0, ownFrom: 0, ownTo: lengthPx }] };
  }
  const stride = Math.floor((tilePx - 2 * haloPx) / alignPx) * alignPx;
  if (stride <= 0) throw new TilingError(`tiles of ${tilePx} px with a halo of ${haloPx} px (aligned to ${alignPx} px) leave nothing to use`);
  const tiles: AxisTile[] = [];
  let start = 0;
  let ownFrom = 0;
  for (;;) {
    const last = start + tilePx >= lengthPx;
    const ownTo = last ? lengthPx : start + tilePx - haloPx;
    tiles.push({ start, ownFrom, ownTo });
    if (last) break;
    ownFrom = ownTo;
    start = Math.min(start + stride, lengthPx - tilePx);
  }
  return { lengthPx, tilePx, padBefore: 0, tiles };
}

/** numpy 'reflect' padding (no repeated edge), periodic for pads longer than the image. */
export function reflectIndex(i: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  const m = ((i % period) + period) % period;
  return m < length ? m : period - m;
}

/** The tile at (tileY, tileX) of the plans, padded by reflection where it leaves the image. */
export function extractTile(image: Planes, yPlan: AxisPlan, xPlan: AxisPlan, tileY: AxisTile, tileX: AxisTile): Planes {
  const { channels: C, heightPx: H, widthPx: W } = image;
  const th = yPlan.tilePx;
  const tw = xPlan.tilePx;
  const out = planes(C, th, tw);
  const y0 = tileY.start - yPlan.padBefore;
  const x0 = tileX.start - xPlan.padBefore;
  const inside = x0 >= 0 && x0 + tw <= W;
  for (let c = 0; c < C; c++) {
    for (let ty = 0; ty < th; ty++) {
      const sourceRow = (c * H + reflectIndex(y0 + ty, H)) * W;
      const targetRow = (c * th + ty) * tw;
      if (inside) {
        out.data.set(image.data.subarray(sourceRow + x0, sourceRow + x0 + tw), targetRow);
        continue;
      }
      for (let tx = 0; tx < tw; tx++) out.data[targetRow + tx] = image.data[sourceRow + reflectIndex(x0 + tx, W)];
    }
  }
  return out;
}

/** Copies the part of a tile's output that the tile owns into the whole output. */
export function placeTile(output: Planes, tileOutput: Planes, yPlan: AxisPlan, xPlan: AxisPlan, tileY: AxisTile, tileX: AxisTile): void {
  const { channels: C, heightPx: H, widthPx: W } = output;
  if (tileOutput.channels !== C || tileOutput.heightPx !== yPlan.tilePx || tileOutput.widthPx !== xPlan.tilePx) {
    throw new TilingError(`tile output is ${tileOutput.channels}×${tileOutput.heightPx}×${tileOutput.widthPx}, expected ${C}×${yPlan.tilePx}×${xPlan.tilePx}`);
  }
  const dy = yPlan.padBefore - tileY.start;
  const dx = xPlan.padBefore - tileX.start;
  const width = tileX.ownTo - tileX.ownFrom;
  for (let c = 0; c < C; c++) {
    for (let y = tileY.ownFrom; y < tileY.ownTo; y++) {
      const from = (c * tileOutput.heightPx + y + dy) * tileOutput.widthPx + tileX.ownFrom + dx;
      output.data.set(tileOutput.data.subarray(from, from + width), (c * H + y) * W + tileX.ownFrom);
    }
  }
}
