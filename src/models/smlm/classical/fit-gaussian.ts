import { erf } from './erf';

/** A fitting window cut from a frame: pixels (offset-subtracted ADU) and their position in the frame. */
export interface FitWindow {
  readonly pixels: Float64Array;
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

/** Parameters of a pixel-integrated symmetric Gaussian spot, in frame pixels and ADU. */
export interface GaussianSpot {
  readonly xPx: number;
  readonly yPx: number;
  /** Integrated signal above background, ADU. */
  readonly amplitude: number;
  /** Background per pixel, ADU. */
  readonly background: number;
  readonly sigmaPx: number;
}

export interface FitResult extends GaussianSpot {
  readonly converged: boolean;
  readonly iterations: number;
}

const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const PARAMS = 5;

/** Fraction of a unit 1-D Gaussian at `center` falling in pixel [i, i+1), with its derivatives by center and sigma. */
function pixelIntegral(i: number, center: number, sigma: number, out: Float64Array, at: number): void {
  const a = (i - center) / sigma;
  const b = (i + 1 - center) / sigma;
  const ga = Math.exp(-0.5 * a * a);
  const gb = Math.exp(-0.5 * b * b);
  out[at] = 0.5 * (erf(b / SQRT2) - erf(a / SQRT2));
  out[at + 1] = (-INV_SQRT_2PI / sigma) * (gb - ga);
  out[at + 2] = (-INV_SQRT_2PI / sigma) * (b * gb - a * ga);
}

/** Solves the symmetric 5×5 system in place by Gaussian elimination with partial pivoting; false when singular. */
function solve(matrix: Float64Array, rhs: Float64Array): boolean {
  const n = PARAMS;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(matrix[r * n + c]) > Math.abs(matrix[pivot * n + c])) pivot = r;
    if (Math.abs(matrix[pivot * n + c]) < 1e-12) return false;
    if (pivot !== c) {
      for (let k = 0; k < n; k++) [matrix[c * n + k], matrix[pivot * n + k]] = [matrix[pivot * n + k], matrix[c * n + k]];
      [rhs[c], rhs[pivot]] = [rhs[pivot], rhs[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = matrix[r * n + c] / matrix[c * n + c];
      for (let k = c; k < n; k++) matrix[r * n + k] -= f * matrix[c * n + k];
      rhs[r] -= f * rhs[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let acc = rhs[r];
    for (let k = r + 1; k < n; k++) acc -= matrix[r * n + k] * rhs[k];
    rhs[r] = acc / matrix[r * n + r];
  }
  return true;
}

/**
 * Least-squares fit of a pixel-integrated Gaussian (x, y, amplitude, background, sigma) by Levenberg–Marquardt,
 * as ThunderSTORM's default "integrated Gaussian, least squares" estimator.
 */
export function fitIntegratedGaussian(window: FitWindow, start: GaussianSpot, maxIterations = 40): FitResult {
  const { width, height, x0, y0, pixels } = window;
  let p = [start.xPx, start.yPx, start.amplitude, start.background, start.sigmaPx];
  const ex = new Float64Array(width * 3);
  const ey = new Float64Array(height * 3);
  const jtj = new Float64Array(PARAMS * PARAMS);
  const jtr = new Float64Array(PARAMS);
  const grad = new Float64Array(PARAMS);
  let lambda = 1e-3;

  const residualSum = (q: number[]): number => {
    for (let i = 0; i < width; i++) pixelIntegral(x0 + i, q[0], q[4], ex, 3 * i);
    for (let j = 0; j < height; j++) pixelIntegral(y0 + j, q[1], q[4], ey, 3 * j);
    let sum = 0;
    for (let j = 0; j < height; j++) {
      for (let i = 0; i < width; i++) {
        const r = pixels[j * width + i] - (q[2] * ex[3 * i] * ey[3 * j] + q[3]);
        sum += r * r;
      }
    }
    return sum;
  };

  let cost = residualSum(p);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    // Builds JᵀJ and Jᵀr at the current parameters (residualSum left ex/ey evaluated there).
    jtj.fill(0);
    jtr.fill(0);
    for (let j = 0; j < height; j++) {
      for (let i = 0; i < width; i++) {
        const exv = ex[3 * i], dexdx = ex[3 * i + 1], dexds = ex[3 * i + 2];
        const eyv = ey[3 * j], deydy = ey[3 * j + 1], deyds = ey[3 * j + 2];
        const r = pixels[j * width + i] - (p[2] * exv * eyv + p[3]);
        grad[0] = p[2] * dexdx * eyv;
        grad[1] = p[2] * exv * deydy;
        grad[2] = exv * eyv;
        grad[3] = 1;
        grad[4] = p[2] * (dexds * eyv + exv * deyds);
        for (let a = 0; a < PARAMS; a++) {
          jtr[a] += grad[a] * r;
          for (let b = a; b < PARAMS; b++) jtj[a * PARAMS + b] += grad[a] * grad[b];
        }
      }
    }
    for (let a = 0; a < PARAMS; a++) for (let b = 0; b < a; b++) jtj[a * PARAMS + b] = jtj[b * PARAMS + a];

    let improved = false;
    for (let attempt = 0; attempt < 10 && !improved; attempt++) {
      const m = Float64Array.from(jtj);
      const step = Float64Array.from(jtr);
      for (let a = 0; a < PARAMS; a++) m[a * PARAMS + a] *= 1 + lambda;
      if (!solve(m, step)) {
        lambda *= 10;
        continue;
      }
      const candidate = p.map((v, k) => v + step[k]);
      candidate[4] = Math.max(0.2, candidate[4]);
      const candidateCost = residualSum(candidate);
      if (candidateCost < cost) {
        const relative = (cost - candidateCost) / Math.max(cost, 1e-12);
        const moved = Math.abs(step[0]) + Math.abs(step[1]);
        p = candidate;
        cost = candidateCost;
        lambda = Math.max(1e-7, lambda / 10);
        improved = true;
        if (relative < 1e-7 || moved < 1e-4) converged = true;
      } else {
        lambda *= 10;
      }
    }
    if (!improved) {
      // No step lowers the cost: a minimum within numerical precision.
      residualSum(p);
      converged = true;
    }
    if (converged) break;
  }
  return { xPx: p[0], yPx: p[1], amplitude: p[2], background: p[3], sigmaPx: p[4], converged, iterations };
}
