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

/** Channels interleaved per pixel (height × width × channels), as networks give them (NHWC without the batch). */
export interface InterleavedImage {
  readonly data: Float32Array;
  readonly channels: number;
}

/** Predicts one tile: its output has the tile's size, channels interleaved. */
export type TilePredictor = (tile: Float32Array, heightPx: number, widthPx: number) => Promise<InterleavedImage>;

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

/** Each tile's weights along an axis divided by their sum over the tiles, so that they add up to one everywhere. */
function normalisedWeights(tiles: readonly AxisTile[], lengthPx: number, contextPx: number, blendPx: number): Float32Array[] {
  const weights = tiles.map((tile) => axisWeights(tile, lengthPx, contextPx, blendPx));
  const total = new Float64Array(lengthPx);
  tiles.forEach((tile, i) => weights[i].forEach((w, u) => (total[tile.start + u] += w)));
  tiles.forEach((tile, i) => weights[i].forEach((w, u) => (weights[i][u] = w === 0 ? 0 : w / total[tile.start + u])));
  return weights;
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

function copyRegion(source: Float32Array, sourceWidth: number, y0: number, x0: number, height: number, width: number, out: Float32Array): Float32Array {
  for (let y = 0; y < height; y++) out.set(source.subarray((y0 + y) * sourceWidth + x0, (y0 + y) * sourceWidth + x0 + width), y * width);
  return out;
}

/**
 * Adds a tile's prediction, weighted, into the frame-sized result. A plain function rather than a loop inside the
 * async predictTiled: V8 optimises it as a whole once hot, where a loop resumed after each await ran ~4× slower.
 */
function blendTile(
  result: Float32Array,
  widthPx: number,
  heightPx: number,
  data: Float32Array,
  channels: number,
  row: AxisTile,
  col: AxisTile,
  wy: Float32Array,
  wx: Float32Array,
): void {
  const rowsInFrame = Math.min(row.size, heightPx - row.start);
  const colsInFrame = Math.min(col.size, widthPx - col.start);
  for (let y = 0; y < rowsInFrame; y++) {
    const wyy = wy[y];
    if (wyy === 0) continue;
    const to = ((row.start + y) * widthPx + col.start) * channels;
    const from = y * col.size * channels;
    for (let x = 0; x < colsInFrame; x++) {
      const w = wyy * wx[x];
      if (w === 0) continue;
      for (let k = x * channels, end = k + channels; k < end; k++) result[to + k] += w * data[from + k];
    }
  }
}

/**
 * Float32 buffers for a tiled prediction: a tile's copy (given back after its prediction, so one serves every tile)
 * and the blended result (handed to the caller, who gives it back when done with it). Fresh ones if not given.
 */
export interface TilingBuffers {
  take(length: number): Float32Array;
  give(buffer: Float32Array): void;
}

const FRESH_BUFFERS: TilingBuffers = { take: (length) => new Float32Array(length), give: () => undefined };

/**
 * Predicts a frame tile by tile and blends the tiles; returns the predictor's channels at the frame's size, still
 * interleaved. A frame that is one tile without padding comes back as the predictor gave it (its weights are all
 * one). `onTile` reports progress (tiles done, tiles in all).
 */
export async function predictTiled(
  pixels: Float32Array,
  heightPx: number,
  widthPx: number,
  predict: TilePredictor,
  options: TilingOptions,
  onTile?: (done: number, total: number) => void,
  /** Where tiles are copied and blended; buffers taken are the caller's once the result is consumed. */
  buffers: TilingBuffers = FRESH_BUFFERS,
): Promise<InterleavedImage> {
  if (pixels.length !== heightPx * widthPx) throw new TilingError(`frame of ${pixels.length} pixels is not ${heightPx}×${widthPx}`);
  const paddedHeight = roundUp(heightPx, options.multiple);
  const paddedWidth = roundUp(widthPx, options.multiple);
  const padded = reflectPad(pixels, heightPx, widthPx, paddedHeight, paddedWidth);
  const rows = planAxis(paddedHeight, options);
  const cols = planAxis(paddedWidth, options);
  const checked = (out: InterleavedImage, h: number, w: number, channels?: number) => {
    if (out.data.length !== h * w * out.channels) throw new TilingError(`tile predictor returned ${out.data.length} values for a ${h}×${w}×${out.channels} tile`);
    if (channels !== undefined && out.channels !== channels) throw new TilingError(`tile predictor returned ${out.channels} channels, then ${channels}`);
    return out;
  };
  if (rows.length === 1 && cols.length === 1 && paddedHeight === heightPx && paddedWidth === widthPx) {
    const out = checked(await predict(padded, heightPx, widthPx), heightPx, widthPx);
    onTile?.(1, 1);
    return out;
  }
  const context = roundUp(options.contextPx, options.multiple);
  const blend = roundUp(Math.max(options.blendPx, options.multiple), options.multiple);
  // The weight of a tile's pixel is wy(y)·wx(x), so the weights summed over tiles are WY(y)·WX(x): normalising the
  // 1-D ramps by their sums makes every pixel's weights add up to one, and tiles are blended straight into the result.
  const rowWeights = normalisedWeights(rows, paddedHeight, context, blend);
  const colWeights = normalisedWeights(cols, paddedWidth, context, blend);
  const whole = rows.length === 1 && cols.length === 1;
  let result: Float32Array | undefined;
  let channels = 0;
  let done = 0;
  for (const [r, row] of rows.entries()) {
    const wy = rowWeights[r];
    for (const [c, col] of cols.entries()) {
      const wx = colWeights[c];
      const tile = whole ? padded : copyRegion(padded, paddedWidth, row.start, col.start, row.size, col.size, buffers.take(row.size * col.size));
      const out = await predict(tile, row.size, col.size).finally(() => whole || buffers.give(tile));
      checked(out, row.size, col.size, result ? channels : undefined);
      channels = out.channels;
      result ??= buffers.take(heightPx * widthPx * channels).fill(0);
      blendTile(result, widthPx, heightPx, out.data, channels, row, col, wy, wx);
      onTile?.(++done, rows.length * cols.length);
    }
  }
  return { data: result!, channels };
}
