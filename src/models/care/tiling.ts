/**
 * Prediction of frames of any size in overlapping tiles. The frame is reflect-padded to a multiple of the
 * network's size multiple; tiles start on that multiple, so pooling grids match the untiled frame. Each tile's
 * outer `contextPx` (≥ the receptive-field radius, where the tile's zero padding reaches in) is discarded, and
 * neighbouring tiles cross-fade over `blendPx` with linear ramps that sum to one: no seams.
 */

export interface TilingOptions {
  /** Largest tile side, pixels; frames no larger are predicted whole. */
  readonly maxTilePx: number;
  /** Pixels of each inner tile edge that are discarded. */
  readonly contextPx: number;
  /** Width of the cross-fade between neighbouring tiles, pixels. */
  readonly blendPx: number;
  /** Tile sides and starts are multiples of this (2^depth for the U-Net). */
  readonly multiple: number;
}

export class TilingError extends Error {
  override readonly name = 'TilingError';
}

/** Channels the tile predictor returns, each tile-sized (e.g. restored mean and uncertainty). */
export type TilePredictor = (tile: Float32Array, heightPx: number, widthPx: number) => Promise<Float32Array[]>;

export interface AxisTile {
  readonly start: number;
  readonly size: number;
}

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/** Tile starts and sizes along one (padded) axis of `lengthPx`, a multiple of `multiple`. */
export function planAxis(lengthPx: number, options: TilingOptions): AxisTile[] {
  const { multiple } = options;
  const context = roundUp(options.contextPx, multiple);
  const blend = roundUp(Math.max(options.blendPx, multiple), multiple);
  const maxTile = Math.floor(options.maxTilePx / multiple) * multiple;
  if (lengthPx <= maxTile) return [{ start: 0, size: lengthPx }];
  const overhead = 2 * context + blend;
  if (maxTile <= overhead) {
    throw new TilingError(`tiles of ${options.maxTilePx} px cannot hold ${context} px of context on both sides plus a ${blend} px blend`);
  }
  const count = Math.ceil((lengthPx - overhead) / (maxTile - overhead));
  const size = Math.min(maxTile, roundUp(Math.ceil((lengthPx + (count - 1) * overhead) / count), multiple));
  const step = size - overhead;
  const tiles: AxisTile[] = [];
  for (let i = 0; i < count; i++) tiles.push({ start: Math.min(i * step, lengthPx - size), size });
  return tiles;
}

/** Weight of each pixel of a tile along one axis: 0 in the discarded context, linear ramps, 1 inside. */
function axisWeights(tile: AxisTile, lengthPx: number, contextPx: number, blendPx: number): Float32Array {
  const w = new Float32Array(tile.size).fill(1);
  const atStart = tile.start === 0;
  const atEnd = tile.start + tile.size === lengthPx;
  for (let u = 0; u < tile.size; u++) {
    let weight = 1;
    if (!atStart) weight = Math.min(weight, Math.max(0, Math.min(1, (u - contextPx + 0.5) / blendPx)));
    if (!atEnd) weight = Math.min(weight, Math.max(0, Math.min(1, (tile.size - contextPx - u - 0.5) / blendPx)));
    w[u] = weight;
  }
  return w;
}

/** Mirror-pads a frame at the bottom and right to the given size (reflection without repeating the edge). */
export function reflectPad(pixels: Float32Array, heightPx: number, widthPx: number, paddedHeightPx: number, paddedWidthPx: number): Float32Array {
  if (paddedHeightPx === heightPx && paddedWidthPx === widthPx) return pixels;
  const reflect = (i: number, n: number) => {
    if (n === 1) return 0;
    const period = 2 * (n - 1);
    const m = i % period;
    return m < n ? m : period - m;
  };
  const out = new Float32Array(paddedHeightPx * paddedWidthPx);
  for (let y = 0; y < paddedHeightPx; y++) {
    const sourceRow = reflect(y, heightPx) * widthPx;
    for (let x = 0; x < paddedWidthPx; x++) out[y * paddedWidthPx + x] = pixels[sourceRow + reflect(x, widthPx)];
  }
  return out;
}

function copyRegion(source: Float32Array, sourceWidth: number, y0: number, x0: number, height: number, width: number): Float32Array {
  const out = new Float32Array(height * width);
  for (let y = 0; y < height; y++) out.set(source.subarray((y0 + y) * sourceWidth + x0, (y0 + y) * sourceWidth + x0 + width), y * width);
  return out;
}

/**
 * Predicts a frame tile by tile and blends the tiles; returns the predictor's channels at the frame's size.
 * `onTile` reports progress (tiles done, tiles in all).
 */
export async function predictTiled(
  pixels: Float32Array,
  heightPx: number,
  widthPx: number,
  predict: TilePredictor,
  options: TilingOptions,
  onTile?: (done: number, total: number) => void,
): Promise<Float32Array[]> {
  if (pixels.length !== heightPx * widthPx) throw new TilingError(`frame of ${pixels.length} pixels is not ${heightPx}×${widthPx}`);
  const paddedHeight = roundUp(heightPx, options.multiple);
  const paddedWidth = roundUp(widthPx, options.multiple);
  const padded = reflectPad(pixels, heightPx, widthPx, paddedHeight, paddedWidth);
  const rows = planAxis(paddedHeight, options);
  const cols = planAxis(paddedWidth, options);
  const context = roundUp(options.contextPx, options.multiple);
  const blend = roundUp(Math.max(options.blendPx, options.multiple), options.multiple);
  let sums: Float32Array[] | undefined;
  const weightSum = new Float32Array(paddedHeight * paddedWidth);
  let done = 0;
  for (const row of rows) {
    const wy = axisWeights(row, paddedHeight, context, blend);
    for (const col of cols) {
      const wx = axisWeights(col, paddedWidth, context, blend);
      const tile = rows.length === 1 && cols.length === 1 ? padded : copyRegion(padded, paddedWidth, row.start, col.start, row.size, col.size);
      const channels = await predict(tile, row.size, col.size);
      sums ??= channels.map(() => new Float32Array(paddedHeight * paddedWidth));
      if (channels.length !== sums.length) throw new TilingError(`tile predictor returned ${channels.length} channels, then ${sums.length}`);
      for (let y = 0; y < row.size; y++) {
        if (wy[y] === 0) continue;
        const base = (row.start + y) * paddedWidth + col.start;
        for (let x = 0; x < col.size; x++) {
          const w = wy[y] * wx[x];
          if (w === 0) continue;
          weightSum[base + x] += w;
          for (let c = 0; c < channels.length; c++) sums[c][base + x] += w * channels[c][y * col.size + x];
        }
      }
      onTile?.(++done, rows.length * cols.length);
    }
  }
  return (sums ?? []).map((sum) => {
    const out = new Float32Array(heightPx * widthPx);
    for (let y = 0; y < heightPx; y++) {
      for (let x = 0; x < widthPx; x++) out[y * widthPx + x] = sum[y * paddedWidth + x] / weightSum[y * paddedWidth + x];
    }
    return out;
  });
}
