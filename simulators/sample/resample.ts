/**
 * Reduction by an integer factor and the matching bilinear enlargement. A reduced pixel j sits at full-size pixel
 * coordinate j·factor + (factor − 1)/2. Reducing spreads each pixel linearly over the two nearest reduced pixels
 * (per axis) rather than averaging blocks, so the centroid of every structure survives: block means would move a
 * point by up to (factor − 1)/2 pixels.
 */
import { scratchArray } from './scratch';

export function downsampleLinear(image: Float32Array, width: number, height: number, factor: number): Float32Array {
  const lowWidth = Math.ceil(width / factor);
  const lowHeight = Math.ceil(height / factor);
  const columns = splatWeights(width, factor, lowWidth);
  const rows = splatWeights(height, factor, lowHeight);
  const narrow = scratchArray('downsample.narrow', lowWidth * height);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = y * lowWidth;
    for (let x = 0; x < width; x++) {
      const value = image[src + x];
      const second = value * columns.secondWeight[x];
      narrow[dst + columns.first[x]] += value - second;
      narrow[dst + columns.second[x]] += second;
    }
  }
  const low = scratchArray('downsample.low', lowWidth * lowHeight);
  for (let y = 0; y < height; y++) {
    const src = y * lowWidth;
    const firstRow = rows.first[y] * lowWidth;
    const secondRow = rows.second[y] * lowWidth;
    const secondWeight = rows.secondWeight[y];
    for (let x = 0; x < lowWidth; x++) {
      const value = narrow[src + x];
      const second = value * secondWeight;
      low[firstRow + x] += value - second;
      low[secondRow + x] += second;
    }
  }
  for (let ly = 0; ly < lowHeight; ly++) {
    for (let lx = 0; lx < lowWidth; lx++) low[ly * lowWidth + lx] /= rows.totals[ly] * columns.totals[lx];
  }
  return low;
}

function splatWeights(size: number, factor: number, lowSize: number) {
  const first = new Int32Array(size);
  const second = new Int32Array(size);
  const secondWeight = new Float32Array(size);
  const totals = new Float64Array(lowSize);
  for (let i = 0; i < size; i++) {
    const [a, b, w] = interpolationPoint(i, factor, lowSize);
    first[i] = a;
    second[i] = b;
    secondWeight[i] = w;
    totals[a] += 1 - w;
    totals[b] += w;
  }
  return { first, second, secondWeight, totals };
}

/**
 * Adds the bilinear enlargement of `low` (reduced by `factor`) to `target` (width × height): rows are widened
 * first, on the few reduced rows, then every full-size row blends two widened rows.
 */
export function addBilinearUpsample(
  low: Float32Array,
  lowWidth: number,
  lowHeight: number,
  factor: number,
  width: number,
  height: number,
  target: Float32Array,
): void {
  const columns = splatWeights(width, factor, lowWidth);
  const wide = scratchArray('upsample.wide', width * lowHeight);
  for (let ly = 0; ly < lowHeight; ly++) {
    const src = ly * lowWidth;
    const dst = ly * width;
    for (let x = 0; x < width; x++) {
      const left = low[src + columns.first[x]];
      wide[dst + x] = left + (low[src + columns.second[x]] - left) * columns.secondWeight[x];
    }
  }
  const rows = splatWeights(height, factor, lowHeight);
  for (let y = 0; y < height; y++) {
    const top = rows.first[y] * width;
    const bottom = rows.second[y] * width;
    const weight = rows.secondWeight[y];
    const dst = y * width;
    for (let x = 0; x < width; x++) target[dst + x] += wide[top + x] + (wide[bottom + x] - wide[top + x]) * weight;
  }
}

/** The two reduced pixels around full-size pixel `index`, and the weight of the second. */
function interpolationPoint(index: number, factor: number, lowSize: number): [number, number, number] {
  const position = (index - (factor - 1) / 2) / factor;
  if (position <= 0) return [0, 0, 0];
  if (position >= lowSize - 1) return [lowSize - 1, lowSize - 1, 0];
  const first = Math.floor(position);
  return [first, first + 1, position - first];
}
