import type { SeededRandom } from './seeded-random';

/**
 * Noise2Void's blind-spot masking (Krull et al. 2019): a stratified random subset of pixels (one per grid cell of
 * area 1/maskedFraction) is replaced by a value drawn from its neighbourhood, and the loss is taken on those
 * pixels only. The network cannot see a masked pixel's own noise, so it learns to predict the signal from the
 * surroundings: with noise independent between pixels, the loss is the error against the clean image plus the
 * noise variance (Noise2Self's J-invariance, Batson & Royer 2019).
 * - `replacement: 'median'` is N2V2's (Höck et al. 2022): the median of the neighbourhood, centre excluded, in
 *   place of one random neighbour, which leaves the original value in the input now and then (mirrored borders)
 *   and gives the network a pixel-sized cue it learns to undo as a checkerboard.
 * - `structMask` is structN2V's (Broaddus et al. 2020): when the camera's noise is correlated along rows (or
 *   columns), the neighbours on that line carry the masked pixel's noise; they are hidden too (replaced by pixels
 *   drawn at random from the whole patch) and left out of the replacement's neighbourhood.
 */
export interface StructMask {
  /** 'row': the line of hidden pixels runs along the row (noise correlated between horizontal neighbours). */
  readonly axis: 'row' | 'column';
  /** Pixels hidden on each side of the masked one. */
  readonly halfLengthPx: number;
}

export interface BlindSpotOptions {
  /** Share of pixels masked per patch. */
  readonly maskedFraction: number;
  /** Replacement values come from the (2r+1)² neighbourhood, the centre excluded. */
  readonly radiusPx: number;
  /** How a masked pixel is replaced (default 'random-neighbour', Noise2Void's original). */
  readonly replacement?: 'random-neighbour' | 'median';
  /** structN2V's line mask; 'auto' is resolved by the noise check (resolveBlindSpot) before masking; absent: none. */
  readonly structMask?: StructMask | 'auto' | 'none';
}

/** N2V2's median replacement, and structN2V's mask where the noise check finds row/column-correlated noise. */
export const DEFAULT_BLIND_SPOT: BlindSpotOptions = { maskedFraction: 0.02, radiusPx: 2, replacement: 'median', structMask: 'auto' };

/** Noise2Void as first published: a random neighbour, no line mask. */
export const PLAIN_N2V_BLIND_SPOT: BlindSpotOptions = { maskedFraction: 0.02, radiusPx: 2, replacement: 'random-neighbour', structMask: 'none' };

const mirror = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);

function onLine(mask: StructMask | undefined, dy: number, dx: number): boolean {
  if (!mask) return false;
  return mask.axis === 'row' ? dy === 0 && Math.abs(dx) <= mask.halfLengthPx : dx === 0 && Math.abs(dy) <= mask.halfLengthPx;
}

function lineMask(options: BlindSpotOptions): StructMask | undefined {
  const setting = options.structMask;
  if (setting === 'auto') throw new Error("blind spot: structMask 'auto' must be resolved by the noise check (resolveBlindSpot) before masking");
  return setting === undefined || setting === 'none' || setting.halfLengthPx < 1 ? undefined : setting;
}

/** Offsets a masked pixel's replacement may come from: the neighbourhood less the centre and the struct line. */
function neighbourOffsets(r: number, mask: StructMask | undefined): Array<readonly [number, number]> {
  const offsets: Array<readonly [number, number]> = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (!(dy === 0 && dx === 0) && !onLine(mask, dy, dx)) offsets.push([dy, dx]);
  if (offsets.length === 0) throw new Error(`blind spot: radius ${r} leaves no neighbour outside the struct mask`);
  return offsets;
}

function median(values: Float32Array): number {
  values.sort();
  const m = values.length >> 1;
  return values.length % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
}

/**
 * Masks one patch in place: `input` gets the replaced values; returns the mask (1 at masked pixels, where the
 * loss is taken; the struct line's hidden pixels are not in it). `original` is the unmasked patch (the target).
 */
export function maskBlindSpots(original: Float32Array, input: Float32Array, sizePx: number, random: SeededRandom, options: BlindSpotOptions = DEFAULT_BLIND_SPOT): Float32Array {
  input.set(original);
  const mask = new Float32Array(sizePx * sizePx);
  const cell = Math.max(1, Math.round(Math.sqrt(1 / options.maskedFraction)));
  const line = lineMask(options);
  const offsets = neighbourOffsets(options.radiusPx, line);
  const values = new Float32Array(offsets.length);
  const centres: number[] = [];
  // Mirrored at the patch border, so a replacement never reads the pixel itself.
  const at = (y: number, x: number) => original[mirror(y, sizePx) * sizePx + mirror(x, sizePx)];
  for (let cy = 0; cy < sizePx; cy += cell) {
    for (let cx = 0; cx < sizePx; cx += cell) {
      const y = Math.min(sizePx - 1, cy + random.int(cell));
      const x = Math.min(sizePx - 1, cx + random.int(cell));
      if (options.replacement === 'median') {
        offsets.forEach(([dy, dx], i) => (values[i] = at(y + dy, x + dx)));
        input[y * sizePx + x] = median(values);
      } else {
        const [dy, dx] = offsets[random.int(offsets.length)];
        input[y * sizePx + x] = at(y + dy, x + dx);
      }
      mask[y * sizePx + x] = 1;
      centres.push(y, x);
    }
  }
  // Replacements read the original only; a line that crosses another centre hides it all the same.
  if (line) {
    for (let c = 0; c < centres.length; c += 2) {
      for (let d = -line.halfLengthPx; d <= line.halfLengthPx; d++) {
        if (d === 0) continue;
        const y = line.axis === 'row' ? centres[c] : centres[c] + d;
        const x = line.axis === 'row' ? centres[c + 1] + d : centres[c + 1];
        if (y < 0 || y >= sizePx || x < 0 || x >= sizePx) continue;
        input[y * sizePx + x] = original[random.int(sizePx * sizePx)];
      }
    }
  }
  return mask;
}
