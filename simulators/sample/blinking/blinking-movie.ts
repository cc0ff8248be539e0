import type { CameraModel } from '../contract';
import { applyCameraNoise } from '../camera-noise';
import { Random } from '../random';
import { psfSigmaUm } from '../index';
import { smoothBackground } from './background';
import { DyeKinetics } from './dye-kinetics';
import { addIntegratedGaussian, psfSigmasNm, type Astigmatism } from './psf';
import { makeBindingSites, type BindingSites, type StructureSpec } from './structures';

/** One emitter that was on in a frame: the ground truth a localisation is scored against. */
export interface GroundTruthEmitter {
  /** Frame number, from 0. */
  readonly frame: number;
  /** Position from the image's top-left corner (pixel i spans [i, i+1) pixel pitches), nm. */
  readonly xNm: number;
  readonly yNm: number;
  readonly zNm: number;
  /** Photons detected from this emitter in this frame. */
  readonly photons: number;
  readonly sigmaXNm: number;
  readonly sigmaYNm: number;
}

export interface BlinkingFrame {
  readonly frame: number;
  readonly pixels: Uint16Array;
  readonly emitters: readonly GroundTruthEmitter[];
}

export interface BlinkingMovieOptions {
  readonly seed: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly camera?: Partial<Omit<CameraModel, 'widthPx' | 'heightPx'>>;
  readonly optics?: {
    readonly numericalAperture?: number;
    readonly emissionWavelengthNm?: number;
    /** Overrides the width computed from the optics, nm. */
    readonly psfSigmaNm?: number;
    readonly astigmatism?: Astigmatism;
    /** Sites lie within ±zRangeNm of focus (0 = all in focus). */
    readonly zRangeNm?: number;
  };
  readonly structures?: readonly StructureSpec[];
  /** Mean number of emitters on per frame per µm² of the field. */
  readonly densityPerUm2: number;
  readonly meanOnFrames?: number;
  readonly bleachPerOnFrame?: number;
  /** Mean detected photons of an emitter on for a whole frame, and the log-normal spread around it. */
  readonly photonsPerFrame?: number;
  readonly photonSpread?: number;
  /** Mean background photons per pixel per frame, and its relative spatial variation (autofluorescence). */
  readonly backgroundPhotons?: number;
  readonly backgroundVariation?: number;
}

export class BlinkingSimulationError extends Error {
  override readonly name = 'BlinkingSimulationError';
}

const DEFAULT_CAMERA: Omit<CameraModel, 'widthPx' | 'heightPx'> = {
  pixelSizeUm: 0.1,
  bitDepth: 16,
  offsetAdu: 100,
  gainAduPerElectron: 1,
  readNoiseElectrons: 1.5,
  quantumEfficiency: 1,
  binning: 1,
};

function validate(options: BlinkingMovieOptions): void {
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new BlinkingSimulationError(`blinking movie: ${name} must be a positive number, got ${value}`);
    }
  };
  if (!Number.isInteger(options.widthPx) || !Number.isInteger(options.heightPx) || options.widthPx < 4 || options.heightPx < 4) {
    throw new BlinkingSimulationError(
      `blinking movie: frame must be at least 4×4 whole pixels, got ${options.widthPx}×${options.heightPx}`,
    );
  }
  if (!(options.densityPerUm2 >= 0))
    throw new BlinkingSimulationError(`blinking movie: densityPerUm2 must be ≥ 0, got ${options.densityPerUm2}`);
  positive('photonsPerFrame', options.photonsPerFrame);
  positive('meanOnFrames', options.meanOnFrames);
  positive('camera.pixelSizeUm', options.camera?.pixelSizeUm);
  if (options.structures && options.structures.length === 0)
    throw new BlinkingSimulationError('blinking movie: structures must not be empty');
}

/**
 * A single-molecule localisation movie: dyes on labelled structures blink (on/off Markov kinetics), each on dye
 * images as a pixel-integrated Gaussian PSF matched to the optics, over a background, through the camera model
 * of the virtual specimen (shot noise, read noise, gain, offset). Deterministic from its seed; every frame comes
 * with the positions of the emitters that were on.
 */
export class BlinkingMovie {
  readonly camera: CameraModel;
  readonly psfSigmaNm: number;
  readonly sites: BindingSites;
  private readonly random: Random;
  private readonly kinetics: DyeKinetics;
  private readonly background: Float32Array;
  private frameNumber = 0;

  constructor(readonly options: BlinkingMovieOptions) {
    validate(options);
    this.camera = { ...DEFAULT_CAMERA, ...options.camera, widthPx: options.widthPx, heightPx: options.heightPx };
    const optics = options.optics ?? {};
    this.psfSigmaNm = optics.psfSigmaNm ?? 1000 * psfSigmaUm(optics.emissionWavelengthNm ?? 680, optics.numericalAperture ?? 1.4, 0);
    const pixelNm = this.pixelSizeNm;
    const field = { widthNm: options.widthPx * pixelNm, heightNm: options.heightPx * pixelNm, zRangeNm: optics.zRangeNm ?? 0 };
    const areaUm2 = (field.widthNm * field.heightNm) / 1e6;
    const targetActive = options.densityPerUm2 * areaUm2;
    const structures = options.structures ?? [{ kind: 'filaments', count: Math.max(2, Math.round(areaUm2 / 6)) }];
    this.sites = makeBindingSites(options.seed, structures, field, Math.ceil(targetActive * 5));
    this.random = new Random(options.seed ^ 0xb1b1);
    this.kinetics = new DyeKinetics(
      this.sites.xNm.length,
      targetActive,
      options.meanOnFrames ?? 1.5,
      options.bleachPerOnFrame ?? 0,
      this.random,
    );
    this.background = this.makeBackground();
  }

  /** Frames rendered so far. */
  get framesRendered(): number {
    return this.frameNumber;
  }

  get pixelSizeNm(): number {
    return this.camera.pixelSizeUm * this.camera.binning * 1000;
  }

  /** Renders the next frame. */
  next(): BlinkingFrame {
    const frame = this.frameNumber++;
    const { widthPx, heightPx } = this.camera;
    const expected = Float32Array.from(this.background);
    const emitters: GroundTruthEmitter[] = [];
    const pixelNm = this.pixelSizeNm;
    const photonsMean = this.options.photonsPerFrame ?? 2000;
    const spread = this.options.photonSpread ?? 0.3;
    for (const { site, onFraction } of this.kinetics.step()) {
      const xNm = this.sites.xNm[site];
      const yNm = this.sites.yNm[site];
      const zNm = this.sites.zNm[site];
      const photons = onFraction * photonsMean * Math.exp(spread * this.random.normal() - (spread * spread) / 2);
      const { sigmaXNm, sigmaYNm } = psfSigmasNm(this.psfSigmaNm, zNm, this.options.optics?.astigmatism);
      addIntegratedGaussian(expected, widthPx, heightPx, xNm / pixelNm, yNm / pixelNm, photons, sigmaXNm / pixelNm, sigmaYNm / pixelNm);
      emitters.push({ frame, xNm, yNm, zNm, photons, sigmaXNm, sigmaYNm });
    }
    const qe = this.camera.quantumEfficiency;
    if (qe !== 1) for (let i = 0; i < expected.length; i++) expected[i] *= qe;
    return { frame, pixels: applyCameraNoise(expected, this.camera, this.random), emitters };
  }

  /** Renders `count` frames. */
  take(count: number): BlinkingFrame[] {
    return Array.from({ length: count }, () => this.next());
  }

  private makeBackground(): Float32Array {
    const { widthPx, heightPx } = this.camera;
    const mean = this.options.backgroundPhotons ?? 20;
    const variation = this.options.backgroundVariation ?? 0.3;
    return smoothBackground(this.random, widthPx, heightPx, mean, variation, 1000 / this.pixelSizeNm);
  }
}
