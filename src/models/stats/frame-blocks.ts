import { ranksOfHistogram, rememberRanks } from './order-statistics';

/** Sums of a frame's pixels over square blocks, row-major: sums[by × w + bx]; blocks past the edge are left out. */
export interface BlockSums {
  readonly blockPx: number;
  readonly w: number;
  readonly h: number;
  /** 4 × 4 sums of a camera frame fit 32 bits exactly (16 × 65,535); anything else is summed in doubles. */
  readonly sums: Float64Array | Uint32Array;
}

/** Fractions of the sorted pixels the agent reads of every frame (SNR: 5, 50, 95 %; photometry: 5 %). */
const USUAL_QUANTILES = [0.05, 0.5, 0.95] as const;

const remembered = new WeakMap<object, BlockSums[]>();

/**
 * Block sums of a frame, remembered with its pixels (as long as the frame is kept: the agent keeps at most 32). For
 * a camera frame (8 or 16 bit) the same pass counts its
 * pixel values and remembers its usual quantiles (order-statistics), so the SNR estimate, the phototoxicity
 * features, the predictor's tiles and the mitosis detector read the frame once between them. Sums of integer
 * counts are exact, so any block size that is a multiple of a known one is added up from it.
 */
export function frameBlocks(pixels: ArrayLike<number>, widthPx: number, heightPx: number, blockPx: number): BlockSums {
  const known = remembered.get(pixels) ?? [];
  const exact = known.find((b) => b.blockPx === blockPx);
  if (exact) return exact;
  const integer = pixels instanceof Uint16Array || pixels instanceof Uint8Array;
  const finer = integer ? known.find((b) => blockPx % b.blockPx === 0) : undefined;
  const blocks = finer ? coarser(finer, blockPx) : integer && blockPx === 4 ? countedBy4(pixels, widthPx, heightPx) : summed(pixels, widthPx, heightPx, blockPx);
  remembered.set(pixels, [...known, blocks]);
  return blocks;
}

function summed(pixels: ArrayLike<number>, widthPx: number, heightPx: number, blockPx: number): BlockSums {
  const w = Math.floor(widthPx / blockPx);
  const h = Math.floor(heightPx / blockPx);
  const sums = new Float64Array(w * h);
  for (let y = 0; y < h * blockPx; y++) {
    const row = y * widthPx;
    const blockRow = Math.floor(y / blockPx) * w;
    for (let bx = 0; bx < w; bx++) {
      let sum = 0;
      for (let i = row + bx * blockPx, end = i + blockPx; i < end; i++) sum += pixels[i];
      sums[blockRow + bx] += sum;
    }
  }
  return { blockPx, w, h, sums };
}

function coarser(fine: BlockSums, blockPx: number): BlockSums {
  const k = blockPx / fine.blockPx;
  const w = Math.floor(fine.w / k);
  const h = Math.floor(fine.h / k);
  const sums = new Float64Array(w * h);
  for (let y = 0; y < h * k; y++) {
    const row = y * fine.w;
    const blockRow = Math.floor(y / k) * w;
    for (let bx = 0; bx < w; bx++) {
      let sum = 0;
      for (let i = row + bx * k, end = i + k; i < end; i++) sum += fine.sums[i];
      sums[blockRow + bx] += sum;
    }
  }
  return { blockPx, w, h, sums };
}

/** 4 × 4 block sums and the histogram of a camera frame in one pass; remembers the usual quantiles. */
function countedBy4(pixels: Uint16Array | Uint8Array, widthPx: number, heightPx: number): BlockSums {
  const histogram = new Uint32Array(pixels instanceof Uint16Array ? 65_536 : 256);
  const w = widthPx >> 2;
  const h = heightPx >> 2;
  const sums = new Uint32Array(w * h);
  for (let y = 0; y < heightPx; y++) {
    const row = y * widthPx;
    let x = 0;
    if (y < h * 4) {
      const blockRow = (y >> 2) * w;
      for (let bx = 0; bx < w; bx++, x += 4) {
        const a = pixels[row + x];
        const b = pixels[row + x + 1];
        const c = pixels[row + x + 2];
        const d = pixels[row + x + 3];
        histogram[a]++;
        histogram[b]++;
        histogram[c]++;
        histogram[d]++;
        sums[blockRow + bx] += a + b + c + d;
      }
    }
    for (; x < widthPx; x++) histogram[pixels[row + x]]++;
  }
  const n = widthPx * heightPx;
  const ranks = USUAL_QUANTILES.map((q) => Math.floor(n * q));
  rememberRanks(pixels, n, ranks, ranksOfHistogram(histogram, ranks));
  return { blockPx: 4, w, h, sums };
}
