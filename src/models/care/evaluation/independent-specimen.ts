import { SeededRandom } from '../training/seeded-random';
import { gaussianFilter } from './classical-filters';

/**
 * Test data from a generator that shares nothing with the virtual specimen the shipped model was trained on
 * (simulators/sample): worm-like-chain filaments, textured nucleus-like blobs and puncta, a Gaussian or Airy PSF,
 * a background with a gradient, and a camera with offset, gain, read noise, Poisson shot noise and optional EMCCD
 * multiplication (excess noise factor √2). Seeded: the same options give the same images.
 */

export type PsfModel = { readonly kind: 'gaussian'; readonly sigmaPx: number } | { readonly kind: 'airy'; readonly firstZeroPx: number };

export interface IndependentCamera {
  readonly offsetAdu: number;
  readonly gainAduPerElectron: number;
  readonly readNoiseElectrons: number;
  /** EMCCD multiplication gain (1: a CCD/sCMOS without it). */
  readonly emGain?: number;
}

export interface IndependentFieldOptions {
  readonly seed: number;
  readonly sizePx: number;
  /** Expected photons at the brightest structure pixel, above the background. */
  readonly peakPhotons: number;
  readonly backgroundPhotons: number;
  readonly psf: PsfModel;
  readonly camera: IndependentCamera;
  /** The target's photons relative to the source's (a pair's high-dose frame), default 50. */
  readonly targetDoseFactor?: number;
}

export interface IndependentPair {
  /** Low-dose camera frame, ADU. */
  readonly raw: Float32Array;
  /** The same field at targetDoseFactor × the photons (noisy, ADU): a training target. */
  readonly target: Float32Array;
  /** Expected ADU of the low-dose frame without noise: the ground truth for evaluation. */
  readonly groundTruth: Float32Array;
  readonly widthPx: number;
  readonly heightPx: number;
}

export const DEFAULT_INDEPENDENT_CAMERA: IndependentCamera = { offsetAdu: 100, gainAduPerElectron: 1, readNoiseElectrons: 1.5 };
/** The kind of data the issue measured on: Gaussian PSF, 12 peak photons, Poisson + read noise + offset. */
export const ISSUE_FIELD: Omit<IndependentFieldOptions, 'seed' | 'sizePx'> = {
  peakPhotons: 12,
  backgroundPhotons: 2,
  psf: { kind: 'gaussian', sigmaPx: 1.6 },
  camera: DEFAULT_INDEPENDENT_CAMERA,
};

/** Adds `amount` at a sub-pixel position, split bilinearly over the four neighbours. */
function splat(image: Float32Array, sizePx: number, x: number, y: number, amount: number): void {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const add = (xi: number, yi: number, w: number) => {
    if (xi >= 0 && yi >= 0 && xi < sizePx && yi < sizePx) image[yi * sizePx + xi] += amount * w;
  };
  add(x0, y0, (1 - fx) * (1 - fy));
  add(x0 + 1, y0, fx * (1 - fy));
  add(x0, y0 + 1, (1 - fx) * fy);
  add(x0 + 1, y0 + 1, fx * fy);
}

/** Worm-like chains: tangent angle diffuses with variance step/persistence length. */
function drawFilaments(image: Float32Array, sizePx: number, random: SeededRandom): void {
  const count = 6 + random.int(10);
  for (let f = 0; f < count; f++) {
    let x = random.next() * sizePx;
    let y = random.next() * sizePx;
    let angle = random.next() * 2 * Math.PI;
    const persistencePx = 20 + random.next() * 120;
    const lengthPx = 40 + random.next() * 2 * sizePx;
    const brightness = 0.3 + 0.7 * random.next();
    const stepPx = 0.5;
    for (let s = 0; s < lengthPx; s += stepPx) {
      splat(image, sizePx, x, y, brightness * stepPx);
      angle += gaussian(random) * Math.sqrt(stepPx / persistencePx);
      x += stepPx * Math.cos(angle);
      y += stepPx * Math.sin(angle);
    }
  }
}

/** Ellipses with soft edges, a smooth multiplicative texture and a few brighter nucleoli. */
function drawBlobs(image: Float32Array, sizePx: number, random: SeededRandom): void {
  const texture = gaussianFilter(
    Float32Array.from({ length: sizePx * sizePx }, () => gaussian(random)),
    sizePx,
    sizePx,
    3,
  );
  let textureSd = 0;
  for (const t of texture) textureSd += t * t;
  textureSd = Math.sqrt(textureSd / texture.length) || 1;
  const count = 1 + random.int(4);
  for (let b = 0; b < count; b++) {
    const cx = random.next() * sizePx;
    const cy = random.next() * sizePx;
    const a = 8 + random.next() * 18;
    const c = a * (0.6 + 0.4 * random.next());
    const theta = random.next() * Math.PI;
    const level = 0.15 + 0.25 * random.next();
    const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
    const reach = Math.ceil(a + 4);
    for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(sizePx, cy + reach); y++) {
      for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(sizePx, cx + reach); x++) {
        const u = ((x - cx) * cos + (y - cy) * sin) / a;
        const v = (-(x - cx) * sin + (y - cy) * cos) / c;
        const r = Math.sqrt(u * u + v * v);
        const inside = 1 / (1 + Math.exp((r - 1) * 12));
        const i = y * sizePx + x;
        image[i] += level * inside * Math.max(0.2, 1 + 0.35 * (texture[i] / textureSd));
      }
    }
    for (let n = random.int(3); n > 0; n--) {
      const r = Math.sqrt(random.next()) * 0.6;
      const phi = random.next() * 2 * Math.PI;
      const u = r * Math.cos(phi) * a;
      const v = r * Math.sin(phi) * c;
      for (let k = 0; k < 12; k++) splat(image, sizePx, cx + u * cos - v * sin + gaussian(random), cy + u * sin + v * cos + gaussian(random), level * 0.5);
    }
  }
}

function drawPuncta(image: Float32Array, sizePx: number, random: SeededRandom): void {
  for (let n = 10 + random.int(40); n > 0; n--) splat(image, sizePx, random.next() * sizePx, random.next() * sizePx, 0.4 + 1.2 * random.next());
}

function gaussian(random: SeededRandom): number {
  const u = 1 - random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** J1(x), Abramowitz & Stegun 9.4.4/9.4.6 (|error| < 1e-7). */
function besselJ1(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    const t = (x / 3) ** 2;
    return x * (0.5 - t * (0.56249985 - t * (0.21093573 - t * (0.03954289 - t * (0.00443319 - t * (0.00031761 - t * 0.00001109))))));
  }
  const t = 3 / ax;
  const f = 0.79788456 + t * (0.00000156 + t * (0.01659667 + t * (0.00017105 + t * (-0.00249511 + t * (0.00113653 - t * 0.00020033)))));
  const theta = ax - 2.35619449 + t * (0.12499612 + t * (0.0000565 + t * (-0.00637879 + t * (0.00074348 + t * (0.00079824 - t * 0.00029166)))));
  return (Math.sign(x) * f * Math.cos(theta)) / Math.sqrt(ax);
}

/** Airy pattern (2·J1(v)/v)², first zero at `firstZeroPx`, sampled on a 4×4 sub-grid per pixel, out to 3 zeros. */
export function airyKernel(firstZeroPx: number): { kernel: Float32Array; radiusPx: number } {
  const radiusPx = Math.ceil(3 * firstZeroPx);
  const side = 2 * radiusPx + 1;
  const kernel = new Float32Array(side * side);
  const scale = 3.8317 / firstZeroPx;
  let sum = 0;
  for (let y = -radiusPx; y <= radiusPx; y++) {
    for (let x = -radiusPx; x <= radiusPx; x++) {
      let s = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const v = Math.hypot(x + (sx + 0.5) / 4 - 0.5, y + (sy + 0.5) / 4 - 0.5) * scale;
          s += v < 1e-6 ? 1 : ((2 * besselJ1(v)) / v) ** 2;
        }
      }
      sum += kernel[(y + radiusPx) * side + x + radiusPx] = s;
    }
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return { kernel, radiusPx };
}

function convolve(image: Float32Array, sizePx: number, { kernel, radiusPx }: { kernel: Float32Array; radiusPx: number }): Float32Array {
  const side = 2 * radiusPx + 1;
  const out = new Float32Array(image.length);
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      let s = 0;
      for (let ky = -radiusPx; ky <= radiusPx; ky++) {
        const yy = y + ky;
        if (yy < 0 || yy >= sizePx) continue;
        for (let kx = -radiusPx; kx <= radiusPx; kx++) {
          const xx = x + kx;
          if (xx >= 0 && xx < sizePx) s += image[yy * sizePx + xx] * kernel[(ky + radiusPx) * side + kx + radiusPx];
        }
      }
      out[y * sizePx + x] = s;
    }
  }
  return out;
}

function poisson(mean: number, random: SeededRandom): number {
  if (!(mean > 0)) return 0;
  if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random.next(); p > limit; p *= random.next()) k++;
  return k;
}

/** Gamma(shape, 1) (Marsaglia & Tsang), shape ≥ 1. */
function gammaVariate(shape: number, random: SeededRandom): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = gaussian(random);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - random.next()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** The camera's frame of expected photons per pixel: ADU, rounded and clipped at 0 as a 16-bit camera does. */
export function cameraFrame(photons: Float32Array, camera: IndependentCamera, random: SeededRandom): Float32Array {
  const emGain = camera.emGain ?? 1;
  return photons.map((mean) => {
    const n = poisson(mean, random);
    // an EM register multiplies n electrons by a Gamma(n, G) amount: the excess noise factor √2 of EMCCDs
    const electrons = emGain > 1 && n > 0 ? gammaVariate(n, random) * emGain : n;
    const adu = camera.offsetAdu + camera.gainAduPerElectron * (electrons + camera.readNoiseElectrons * gaussian(random));
    return Math.max(0, Math.round(adu));
  });
}

/** The noise-free specimen blurred by the PSF, scaled so its brightest pixel is 1. */
export function renderSpecimen(seed: number, sizePx: number, psf: PsfModel): Float32Array {
  const random = new SeededRandom(seed);
  const object = new Float32Array(sizePx * sizePx);
  drawBlobs(object, sizePx, random);
  drawFilaments(object, sizePx, random);
  drawPuncta(object, sizePx, random);
  const blurred = psf.kind === 'gaussian' ? gaussianFilter(object, sizePx, sizePx, psf.sigmaPx) : convolve(object, sizePx, airyKernel(psf.firstZeroPx));
  let peak = 0;
  for (const v of blurred) peak = Math.max(peak, v);
  return blurred.map((v) => Math.max(0, v) / (peak || 1));
}

/** One field: the low-dose frame, its high-dose target and its noise-free expected image. */
export function independentPair(options: IndependentFieldOptions): IndependentPair {
  const { sizePx, camera } = options;
  const specimen = renderSpecimen(options.seed, sizePx, options.psf);
  const random = new SeededRandom(options.seed ^ 0x5bd1e995);
  // the background: uniform plus a gentle gradient in a random direction (uneven illumination)
  const angle = random.next() * 2 * Math.PI;
  const background = (x: number, y: number) =>
    options.backgroundPhotons * (1 + 0.3 * ((Math.cos(angle) * (x - sizePx / 2) + Math.sin(angle) * (y - sizePx / 2)) / sizePx));
  const photons = specimen.map((s, i) => options.peakPhotons * s + background(i % sizePx, Math.floor(i / sizePx)));
  const factor = options.targetDoseFactor ?? 50;
  const emGain = camera.emGain ?? 1;
  return {
    raw: cameraFrame(photons, camera, random),
    target: cameraFrame(
      photons.map((p) => p * factor),
      camera,
      random,
    ),
    groundTruth: photons.map((p) => camera.offsetAdu + camera.gainAduPerElectron * emGain * p),
    widthPx: sizePx,
    heightPx: sizePx,
  };
}

/** `count` fields with seeds seed, seed + 1, … */
export function independentPairs(count: number, options: IndependentFieldOptions): IndependentPair[] {
  return Array.from({ length: count }, (_, i) => independentPair({ ...options, seed: options.seed + 1009 * i }));
}
