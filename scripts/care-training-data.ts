/**
 * CARE training and test data from the virtual specimen (simulators/sample): the same field of view rendered at a
 * high dose (target) and at a dose `ratio` times lower (source), plus the noise-free expected image of the
 * low-dose frame (ground truth, for evaluation only). Seeded: the same options give the same images.
 */
import { createSpecimen, type CameraModel, type ImagingConditions } from '../simulators/sample';
import { cameraFrame } from '../src/models/care/evaluation/independent-specimen';
import type { RawImage } from '../src/models/care/training/train-care';
import { SeededRandom } from '../src/models/care/training/seeded-random';

export interface SimulatedCarePair {
  readonly source: RawImage;
  readonly target: RawImage;
  /** Expected ADU of the low-dose frame without noise. */
  readonly groundTruth: RawImage;
  readonly doseRatio: number;
  readonly description: string;
}

export interface SimulationOptions {
  readonly seed: number;
  readonly count: number;
  readonly sizePx: number;
  /** Each pair's low dose is the high dose divided by one of these (chosen at random). */
  readonly doseRatios: readonly number[];
  /** High-dose exposure at 10 mW, ms. */
  readonly highDoseExposureMs?: number;
  /** Wide data only: see WideSimulationOptions. */
  readonly lowPhotonShare?: number;
}

/** The data description written into rdf.yaml. */
export function describeSimulation(options: SimulationOptions): string {
  return (
    `${options.count} fields of view of ${options.sizePx}×${options.sizePx} px rendered by the project's virtual specimen ` +
    `(simulators/sample: cells with nuclei and filaments, Gaussian widefield PSF at NA 0.9–1.4 and ±0.6 µm defocus, ` +
    `Poisson shot noise, Gaussian read noise 1–3 e⁻, gain 0.5–2 ADU/e⁻, offset 100 ADU, pixels 0.1–0.3 µm), ` +
    `seed ${options.seed}; target: ${options.highDoseExposureMs ?? 100} ms at 10 mW; source: the same field at ` +
    `${options.doseRatios.map((r) => `1/${r}`).join(', ')} of that dose`
  );
}

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulateCarePairs(options: SimulationOptions): SimulatedCarePair[] {
  const random = mulberry32(options.seed);
  const range = (a: number, b: number) => a + (b - a) * random();
  const pairs: SimulatedCarePair[] = [];
  const specimen = createSpecimen({ seed: options.seed, bleachHalfDoseMwS: Infinity, fieldUm: 400 });
  const highExposureMs = options.highDoseExposureMs ?? 100;
  while (pairs.length < options.count) {
    const camera: CameraModel = {
      widthPx: options.sizePx,
      heightPx: options.sizePx,
      pixelSizeUm: range(0.1, 0.3),
      bitDepth: 16,
      offsetAdu: 100,
      gainAduPerElectron: range(0.5, 2),
      readNoiseElectrons: range(1, 3),
      quantumEfficiency: 0.8,
      binning: 1,
    };
    const high: ImagingConditions = {
      stageXUm: range(-160, 160),
      stageYUm: range(-160, 160),
      focusZUm: range(-0.6, 0.6),
      exposureMs: highExposureMs,
      illuminationPowerMw: 10,
      excitationWavelengthNm: 488,
      emissionWavelengthNm: 520,
      numericalAperture: range(0.9, 1.4),
      timeS: 0,
    };
    const doseRatio = options.doseRatios[Math.floor(random() * options.doseRatios.length)];
    const low: ImagingConditions = { ...high, exposureMs: highExposureMs / doseRatio };
    const expected = specimen.expectedElectrons(low, camera);
    // The high-dose frame must not saturate the camera (a clipped target teaches clipping).
    let peak = 0;
    for (const e of expected) peak = Math.max(peak, e);
    if (camera.offsetAdu + camera.gainAduPerElectron * peak * doseRatio * 1.2 > 60_000) continue;
    // Skip nearly empty views (the dish between cells): they teach little and make percentiles meaningless.
    const sorted = Float32Array.from(expected).sort();
    const background = sorted[Math.floor(0.5 * (sorted.length - 1))];
    const bright = sorted[Math.floor(0.998 * (sorted.length - 1))];
    const cellFraction = 1 - sorted.findIndex((e) => e > background + 0.1 * (bright - background)) / sorted.length;
    if (bright < 4 * background || cellFraction < 0.05) continue;
    const image = (pixels: ArrayLike<number>): RawImage => ({ pixels, widthPx: options.sizePx, heightPx: options.sizePx });
    pairs.push({
      source: image(specimen.render(low, camera)),
      target: image(specimen.render(high, camera)),
      groundTruth: image(Float32Array.from(expected, (e) => camera.offsetAdu + camera.gainAduPerElectron * e)),
      doseRatio,
      description: `stage (${high.stageXUm.toFixed(1)}, ${high.stageYUm.toFixed(1)}) µm, pixel ${camera.pixelSizeUm.toFixed(3)} µm, dose 1/${doseRatio}`,
    });
  }
  return pairs;
}

/**
 * `node -r ts-node/register/transpile-only scripts/care-training-data.ts <out.bin> <seed> <count> <sizePx> [wide]`: writes
 * held-out test pairs for tests that cannot render inside Jest's sandbox (rendering there is ~20× slower): a JSON
 * header line, then for each pair the low-dose frame and its ground truth as little-endian float32.
 */
export const TEST_DOSE_RATIOS = [200, 500, 1000];
export const TEST_HIGH_DOSE_MS = 2000;

/**
 * The shipped default's wide training range (issue 18, item 5): the virtual specimen's fields, noise-free, rescaled
 * to a peak of 3–500 photons (log-uniform) above a background of 2–50 % of it, through a PSF of NA 0.8–1.4 at
 * ±1 µm defocus on pixels of 0.06–0.3 µm (σ ≈ 0.3–2.3 px), and a camera of offset 0–500 ADU, gain 0.2–5 ADU/e⁻,
 * read noise 0.5–6 e⁻, a quarter of them EMCCDs (EM gain 20–300). Target: the same field at 50× the photons.
 */
export interface WideSimulationOptions {
  readonly seed: number;
  readonly count: number;
  readonly sizePx: number;
  /** Share of the fields whose peak is drawn from LOW_PHOTON_PEAKS instead (the low doses CARE is for); default 0. */
  readonly lowPhotonShare?: number;
}

/** Peak photons of the low-dose share of the wide data. */
export const LOW_PHOTON_PEAKS: readonly [number, number] = [3, 50];

export const WIDE_RANGE = {
  peakPhotons: [3, 500],
  backgroundPerPeak: [0.02, 0.5],
  numericalAperture: [0.8, 1.4],
  defocusUm: [-1, 1],
  pixelSizeUm: [0.06, 0.3],
  offsetAdu: [0, 500],
  gainAduPerElectron: [0.2, 5],
  readNoiseElectrons: [0.5, 6],
  emccdFraction: 0.25,
  emGain: [20, 300],
  emccdGainAduPerElectron: [0.02, 0.2],
  targetDoseFactor: 50,
  emissionWavelengthNm: 520,
} as const;

const lowShare = (o: WideSimulationOptions) =>
  o.lowPhotonShare ? `; ${Math.round(o.lowPhotonShare * 100)} % of the fields ${LOW_PHOTON_PEAKS.join('–')}` : '';

export function describeWideSimulation(options: WideSimulationOptions): string {
  const r = WIDE_RANGE;
  return (
    `${options.count} fields of view of ${options.sizePx}×${options.sizePx} px of the project's virtual specimen (simulators/sample: cells ` +
    `with nuclei and filaments), noise-free, rescaled to ${r.peakPhotons.join('–')} peak photons (log-uniform${lowShare(options)}) above a background of ` +
    `${r.backgroundPerPeak.map((b) => b * 100).join('–')} % of the peak; Gaussian widefield PSF at NA ${r.numericalAperture.join('–')}, ` +
    `±1 µm defocus, pixels ${r.pixelSizeUm.join('–')} µm, emission ${r.emissionWavelengthNm} nm; camera offset ${r.offsetAdu.join('–')} ADU, ` +
    `gain ${r.gainAduPerElectron.join('–')} ADU/e⁻, read noise ${r.readNoiseElectrons.join('–')} e⁻, Poisson shot noise, ${r.emccdFraction * 100} % EMCCD ` +
    `(EM gain ${r.emGain.join('–')}, excess noise factor √2); seed ${options.seed}; target: the same field at ${r.targetDoseFactor}× the photons`
  );
}

export function simulateWideCarePairs(options: WideSimulationOptions): SimulatedCarePair[] {
  const random = mulberry32(options.seed);
  const range = (a: number, b: number) => a + (b - a) * random();
  const logRange = ([a, b]: readonly [number, number]) => Math.exp(range(Math.log(a), Math.log(b)));
  const noise = new SeededRandom(options.seed + 1);
  const specimen = createSpecimen({ seed: options.seed, bleachHalfDoseMwS: Infinity, fieldUm: 400 });
  const r = WIDE_RANGE;
  const pairs: SimulatedCarePair[] = [];
  while (pairs.length < options.count) {
    const pixelSizeUm = logRange(r.pixelSizeUm);
    const optics: CameraModel = {
      widthPx: options.sizePx,
      heightPx: options.sizePx,
      pixelSizeUm,
      bitDepth: 16,
      offsetAdu: 0,
      gainAduPerElectron: 1,
      readNoiseElectrons: 0,
      quantumEfficiency: 1,
      binning: 1,
    };
    const field = (pixelSizeUm * options.sizePx) / 2;
    const conditions: ImagingConditions = {
      stageXUm: range(-160 + field, 160 - field),
      stageYUm: range(-160 + field, 160 - field),
      focusZUm: range(r.defocusUm[0], r.defocusUm[1]),
      exposureMs: 100,
      illuminationPowerMw: 10,
      excitationWavelengthNm: 488,
      emissionWavelengthNm: r.emissionWavelengthNm,
      numericalAperture: range(r.numericalAperture[0], r.numericalAperture[1]),
      timeS: 0,
    };
    const expected = specimen.expectedElectrons(conditions, optics);
    const sorted = Float32Array.from(expected).sort();
    const floor = sorted[0];
    const background = sorted[Math.floor(0.5 * (sorted.length - 1))];
    const bright = sorted[Math.floor(0.9995 * (sorted.length - 1))];
    const cellFraction = 1 - sorted.findIndex((e) => e > background + 0.1 * (bright - background)) / sorted.length;
    if (bright < 4 * background || cellFraction < 0.05 || !(bright > floor)) continue;
    // Drawn only when asked, so that the seeds of earlier recipes give the same fields.
    const low = options.lowPhotonShare ? random() < options.lowPhotonShare : false;
    const peakPhotons = logRange(low ? LOW_PHOTON_PEAKS : r.peakPhotons);
    const backgroundPhotons = peakPhotons * logRange(r.backgroundPerPeak);
    const photons = expected.map((e) => (peakPhotons * (e - floor)) / (bright - floor) + backgroundPhotons);
    const emccd = random() < r.emccdFraction;
    const emGain = emccd ? logRange(r.emGain) : 1;
    const camera = {
      offsetAdu: Math.round(range(r.offsetAdu[0], r.offsetAdu[1])),
      gainAduPerElectron: logRange(emccd ? r.emccdGainAduPerElectron : r.gainAduPerElectron),
      readNoiseElectrons: logRange(emccd ? [r.readNoiseElectrons[1], 10 * r.readNoiseElectrons[1]] : r.readNoiseElectrons),
      emGain,
    };
    const image = (pixels: ArrayLike<number>): RawImage => ({ pixels, widthPx: options.sizePx, heightPx: options.sizePx });
    pairs.push({
      source: image(cameraFrame(photons, camera, noise)),
      target: image(
        cameraFrame(
          photons.map((p) => p * r.targetDoseFactor),
          camera,
          noise,
        ),
      ),
      groundTruth: image(photons.map((p) => camera.offsetAdu + camera.gainAduPerElectron * emGain * p)),
      doseRatio: r.targetDoseFactor,
      description: `${peakPhotons.toFixed(1)} peak photons, background ${backgroundPhotons.toFixed(1)}, pixel ${pixelSizeUm.toFixed(3)} µm, NA ${conditions.numericalAperture.toFixed(2)}${emccd ? `, EMCCD ×${emGain.toFixed(0)}` : ''}`,
    });
  }
  return pairs;
}

if (require.main === module) {
  const [out, seed, count, sizePx, data] = process.argv.slice(2);
  const options = { seed: Number(seed), count: Number(count), sizePx: Number(sizePx) };
  // a fifth argument "wide": the shipped default's wide range (simulateWideCarePairs) instead of the specimen's doses
  const pairs =
    data === 'wide'
      ? simulateWideCarePairs(options)
      : simulateCarePairs({ ...options, doseRatios: TEST_DOSE_RATIOS, highDoseExposureMs: TEST_HIGH_DOSE_MS });
  const header = Buffer.from(
    `${JSON.stringify({ count: pairs.length, sizePx: Number(sizePx), descriptions: pairs.map((p) => p.description) })}\n`,
  );
  const planes = pairs.flatMap((p) => [Float32Array.from(p.source.pixels), Float32Array.from(p.groundTruth.pixels)]);
  require('node:fs').writeFileSync(out, Buffer.concat([header, ...planes.map((a) => Buffer.from(a.buffer))]));
}
