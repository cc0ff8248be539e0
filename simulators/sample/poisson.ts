/**
 * Poisson variates, fast enough for one per camera pixel.
 *
 * Mean below 30: exact inversion of the CDF, with tables. Independent Poisson counts add, so
 * Poisson(λ) = Poisson(g) + Poisson(λ − g) with g = λ rounded down to a multiple of 1/64. The first part inverts a
 * tabulated CDF for g through a guide table (usually one comparison: the loop has no unpredictable branch, which is
 * what costs most on a CPU). The second part, mean below 1/64, is zero unless the uniform left over from the first
 * inversion exceeds e^−r (1.6 % of draws at most); only then does a short inversion loop run. The left-over
 * uniform is where u fell inside its CDF step, rescaled to [0, 1): independent of the count drawn, with at least
 * 22 of the 32 random bits. The 1920 tables take about 1 MB and 10 ms to build when the module loads.
 *
 * Mean 30 and up: the normal approximation with continuity correction, round(λ + √λ·z). Its mean is exact, its
 * variance λ + 1/12, and its missing skew (1/√λ < 0.19) is far below what a camera with read noise can reveal.
 */
import { standardNormalFromBits } from './normal-table';

export const POISSON_NORMAL_FROM_MEAN = 30;

const UNIT = 1 / 4294967296;
const GRID_PER_UNIT = 64;
const GUIDE_SIZE = 64;
/** CDF rows stop where 1 − CDF < 1e-15, far beyond what a 32-bit uniform can reach. */
const TAIL_PROBABILITY = 1e-15;

const GRID_COUNT = POISSON_NORMAL_FROM_MEAN * GRID_PER_UNIT;

/**
 * All CDF tables in two flat arrays (flat typed arrays keep the per-pixel lookups free of object loads). For grid
 * point g, BOUNDS[TABLE_START[g] + k] = P(count < k): it starts at 0 and ends with Infinity, so every search ends.
 * GUIDES[g·GUIDE_SIZE + j] is the count at which to start searching for u in [j/GUIDE_SIZE, (j+1)/GUIDE_SIZE).
 */
const TABLE_START = new Int32Array(GRID_COUNT);
const GUIDES = new Uint8Array(GRID_COUNT * GUIDE_SIZE);
const BOUNDS = buildTables();

function buildTables(): Float64Array {
  const all: number[] = [];
  for (let g = 0; g < GRID_COUNT; g++) {
    const mean = g / GRID_PER_UNIT;
    const start = all.length;
    TABLE_START[g] = start;
    all.push(0);
    let probability = Math.exp(-mean);
    let cumulative = 0;
    for (let k = 0; cumulative < 1 - TAIL_PROBABILITY && k < 200; k++) {
      if (k > 0) probability *= mean / k;
      cumulative += probability;
      all.push(cumulative);
    }
    all.push(Infinity);
    let k = 0;
    for (let j = 0; j < GUIDE_SIZE; j++) {
      while (all[start + k + 1] < j / GUIDE_SIZE) k++;
      GUIDES[g * GUIDE_SIZE + j] = k;
    }
  }
  return Float64Array.from(all);
}

/**
 * A Poisson count from one 32-bit draw (signed or unsigned); `tail` supplies the rare extra uniforms of a normal
 * tail. Callers that pre-generate random bits in bulk use this directly.
 */
export function poissonFromBits(mean: number, bits: number, tail: { uniform(): number }): number {
  if (!(mean > 0)) return 0;
  if (mean >= POISSON_NORMAL_FROM_MEAN) {
    const k = Math.floor(mean + Math.sqrt(mean) * standardNormalFromBits(bits, tail) + 0.5);
    return k < 0 ? 0 : k;
  }
  const gridIndex = Math.floor(mean * GRID_PER_UNIT);
  const start = TABLE_START[gridIndex];
  const u = (bits >>> 0) * UNIT;
  let at = start + GUIDES[gridIndex * GUIDE_SIZE + ((u * GUIDE_SIZE) | 0)];
  while (u >= BOUNDS[at + 1]) at++;
  let count = at - start;
  const rest = mean - gridIndex / GRID_PER_UNIT;
  if (rest > 0) {
    // e^−r by its series: r < 1/64, so four terms are exact to 1e-9 relative.
    const probabilityOfZero = 1 - rest * (1 - rest * (0.5 - rest / 6));
    const low = BOUNDS[at];
    const step = BOUNDS[at + 1] - low;
    // v ≥ e^−r with v = (u − low) / step, the division kept off the common path.
    if (u - low >= probabilityOfZero * step) count += smallPoissonAbove(rest, (u - low) / step, probabilityOfZero);
  }
  return count;
}

/** The count for a tiny mean given it is not zero: continues the inversion past k = 0. */
function smallPoissonAbove(mean: number, v: number, probabilityOfZero: number): number {
  let probability = probabilityOfZero;
  let cumulative = probabilityOfZero;
  let k = 0;
  while (v >= cumulative && k < 20) {
    k++;
    probability *= mean / k;
    cumulative += probability;
  }
  return k;
}
