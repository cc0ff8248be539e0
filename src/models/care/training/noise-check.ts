import type { BlindSpotOptions, StructMask } from './blind-spot';
import type { TrainingImage } from './patches';

/**
 * The cheap check that picks structN2V's mask: is the camera noise correlated along rows or columns? The image
 * minus its 5×5 mean is mostly noise (the specimen is smooth at that scale); its autocorrelation at lags 1–4 is
 * compared along rows and along columns. An isotropic filter and specimen give both the same in expectation, so
 * what one axis has in excess is correlated noise: readout patterns (sCMOS column amplifiers, row offsets) or an
 * EMCCD's charge-transfer smear along the serial register.
 */

export interface NoiseCorrelation {
  /** Autocorrelation of the high-pass residual between horizontal neighbours, lags 1..MAX_LAG_PX. */
  readonly alongRows: readonly number[];
  /** The same between vertical neighbours. */
  readonly alongColumns: readonly number[];
  /** The line mask the excess calls for, or null where the noise is as independent along both axes. */
  readonly structMask: StructMask | null;
}

export const MAX_LAG_PX = 4;
/** Excess correlation of one axis over the other above which its neighbours count as carrying the noise. */
export const CORRELATION_EXCESS = 0.08;
const BOX_RADIUS_PX = 2;

/** Image minus its (2r+1)² box mean (borders clamped), by running sums. */
function highPass(image: TrainingImage): Float32Array {
  const { widthPx: w, heightPx: h, pixels } = image;
  const r = BOX_RADIUS_PX;
  const rows = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += pixels[y * w + Math.min(w - 1, Math.max(0, x + d))];
      rows[y * w + x] = s;
    }
  }
  const out = new Float32Array(w * h);
  const area = (2 * r + 1) ** 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += rows[Math.min(h - 1, Math.max(0, y + d)) * w + x];
      out[y * w + x] = pixels[y * w + x] - s / area;
    }
  }
  return out;
}

/** Correlation coefficients of the residual with itself shifted by 1..MAX_LAG_PX along x (dx) or y. */
function lagCorrelations(residual: Float32Array, w: number, h: number, axis: 'row' | 'column', sums: { products: number[]; variance: number }): void {
  const m = BOX_RADIUS_PX + MAX_LAG_PX;
  for (let y = m; y < h - m; y++) {
    for (let x = m; x < w - m; x++) {
      const v = residual[y * w + x];
      if (axis === 'row') sums.variance += v * v;
      for (let lag = 1; lag <= MAX_LAG_PX; lag++) sums.products[lag - 1] += v * residual[axis === 'row' ? y * w + x + lag : (y + lag) * w + x];
    }
  }
}

/** Measures the residual's correlations over the images and decides on the line mask. */
export function checkNoiseCorrelation(images: readonly TrainingImage[]): NoiseCorrelation {
  const rows = { products: new Array<number>(MAX_LAG_PX).fill(0), variance: 0 };
  const columns = { products: new Array<number>(MAX_LAG_PX).fill(0), variance: 0 };
  for (const image of images) {
    const residual = highPass(image);
    lagCorrelations(residual, image.widthPx, image.heightPx, 'row', rows);
    lagCorrelations(residual, image.widthPx, image.heightPx, 'column', columns);
  }
  const variance = rows.variance || 1;
  const alongRows = rows.products.map((p) => p / variance);
  const alongColumns = columns.products.map((p) => p / variance);
  // The mask reaches as far as the excess stays above the threshold, lag by lag.
  const reach = (a: number[], b: number[]) => {
    let lag = 0;
    while (lag < MAX_LAG_PX && a[lag] - b[lag] > CORRELATION_EXCESS) lag++;
    return lag;
  };
  const rowReach = reach(alongRows, alongColumns);
  const columnReach = reach(alongColumns, alongRows);
  const structMask: StructMask | null =
    rowReach > 0 ? { axis: 'row', halfLengthPx: rowReach } : columnReach > 0 ? { axis: 'column', halfLengthPx: columnReach } : null;
  return { alongRows, alongColumns, structMask };
}

/** At most this many images are checked: the statistic of a few 512² frames is already tight. */
const CHECKED_IMAGES = 4;

/** The options with `structMask: 'auto'` replaced by what the noise check of `images` calls for. */
export function resolveBlindSpot(options: BlindSpotOptions, images: readonly TrainingImage[]): BlindSpotOptions & { readonly noise?: NoiseCorrelation } {
  if (options.structMask !== 'auto') return options;
  const step = Math.max(1, Math.floor(images.length / CHECKED_IMAGES));
  const noise = checkNoiseCorrelation(images.filter((_, i) => i % step === 0).slice(0, CHECKED_IMAGES));
  return { ...options, structMask: noise.structMask ?? 'none', noise };
}
