/**
 * Training and validation data for Deep-STORM, simulated with the blinking-emitter movie simulator: movies with
 * randomised optics, dye brightness, background, camera and density (sparse to several emitters per µm²),
 * cut into ×8-upsampled patches with heatmap labels. Seeded: the same seed gives the same batches.
 */
import { BlinkingMovie, type BlinkingMovieOptions, type StructureSpec } from '../simulators/sample/blinking';
import { Random } from '../simulators/sample/random';
import { heatmapOf } from '../src/models/smlm/deep-storm/heatmap';
import { normalizationOf, normalizeFrame, upsampleNearest, type InputNormalization } from '../src/models/smlm/deep-storm/preprocess';
import type { TrainingBatch } from '../src/models/smlm/deep-storm/train';

export const TRAINING_FRAME_PX = 64;
export const TRAINING_PIXEL_NM = 100;
const MIN_EMITTERS_PER_PATCH = 2;

function logUniform(random: Random, min: number, max: number): number {
  return Math.exp(random.range(Math.log(min), Math.log(max)));
}

/** Randomised simulation settings of one training movie. */
export function randomMovieOptions(random: Random, seed: number, densityRange: [number, number] = [0.3, 10]): BlinkingMovieOptions {
  const kind = random.uniform();
  const structures: StructureSpec[] =
    kind < 0.55
      ? [{ kind: 'filaments', count: 2 + Math.floor(random.range(0, 10)), persistenceLengthUm: random.range(1, 10) }]
      : kind < 0.75
        ? [{ kind: 'vesicles', count: 4 + Math.floor(random.range(0, 30)) }]
        : kind < 0.9
          ? [
              { kind: 'filaments', count: 3 + Math.floor(random.range(0, 5)) },
              { kind: 'vesicles', count: 5 + Math.floor(random.range(0, 10)) },
            ]
          : [{ kind: 'uniform' }];
  return {
    seed,
    widthPx: TRAINING_FRAME_PX,
    heightPx: TRAINING_FRAME_PX,
    camera: {
      pixelSizeUm: TRAINING_PIXEL_NM / 1000,
      offsetAdu: random.range(50, 500),
      gainAduPerElectron: logUniform(random, 0.5, 4),
      readNoiseElectrons: random.range(0.5, 3),
    },
    optics: { psfSigmaNm: random.range(85, 140) },
    structures,
    densityPerUm2: logUniform(random, densityRange[0], densityRange[1]),
    meanOnFrames: random.range(1, 3),
    photonsPerFrame: logUniform(random, 600, 5000),
    photonSpread: random.range(0.2, 0.5),
    backgroundPhotons: logUniform(random, 5, 80),
    backgroundVariation: random.range(0, 0.5),
  };
}

export class StormPatchSource {
  private readonly random: Random;
  private readonly movies: BlinkingMovie[] = [];
  private moviesMade = 0;

  constructor(
    private readonly seed: number,
    private readonly patchCameraPx: number,
    private readonly upsampling: number,
    private readonly moviePool = 32,
    private readonly framesPerMovie = 40,
  ) {
    this.random = new Random(seed);
  }

  /** Mean and std of [0,1]-projected frames, from frames the batches will not reuse. */
  normalization(frames = 200): InputNormalization {
    const random = new Random(this.seed ^ 0x6e6f726d);
    const sample: Uint16Array[] = [];
    for (let i = 0; sample.length < frames; i++) {
      const movie = new BlinkingMovie(randomMovieOptions(random, (this.seed * 7919 + i) >>> 0));
      sample.push(...movie.take(10).map((f) => f.pixels));
    }
    return normalizationOf(sample);
  }

  batch(count: number, normalization: InputNormalization): TrainingBatch {
    const size = this.patchCameraPx * this.upsampling;
    const inputs = new Float32Array(count * size * size);
    const heatmaps = new Float32Array(count * size * size);
    const pixelNm = TRAINING_PIXEL_NM;
    const srNm = pixelNm / this.upsampling;
    for (let k = 0; k < count; k++) {
      const frame = this.movie().next();
      const normalized = normalizeFrame(frame.pixels, normalization);
      // As the paper, prefer patches holding a few emitters: empty ones teach little.
      let x0 = 0;
      let y0 = 0;
      for (let attempt = 0; attempt < 5; attempt++) {
        x0 = Math.floor(this.random.range(0, TRAINING_FRAME_PX - this.patchCameraPx + 1));
        y0 = Math.floor(this.random.range(0, TRAINING_FRAME_PX - this.patchCameraPx + 1));
        const inside = frame.emitters.filter(
          (e) =>
            e.xNm >= x0 * pixelNm &&
            e.yNm >= y0 * pixelNm &&
            e.xNm < (x0 + this.patchCameraPx) * pixelNm &&
            e.yNm < (y0 + this.patchCameraPx) * pixelNm,
        ).length;
        if (inside >= MIN_EMITTERS_PER_PATCH) break;
      }
      const region = { x0, y0, width: this.patchCameraPx, height: this.patchCameraPx };
      upsampleNearest(
        normalized,
        TRAINING_FRAME_PX,
        TRAINING_FRAME_PX,
        this.upsampling,
        region,
        0,
        inputs.subarray(k * size * size, (k + 1) * size * size),
      );
      const emitters = frame.emitters.map((e) => ({
        xSrPx: e.xNm / srNm - x0 * this.upsampling,
        ySrPx: e.yNm / srNm - y0 * this.upsampling,
      }));
      heatmaps.set(heatmapOf(emitters, size, size), k * size * size);
    }
    return { inputs, heatmaps, count, sizePx: size };
  }

  /** A movie from the pool; each is replaced by a fresh random one after framesPerMovie frames. */
  private movie(): BlinkingMovie {
    const slot = Math.floor(this.random.range(0, this.moviePool));
    let movie = this.movies[slot];
    if (!movie || movie.framesRendered >= this.framesPerMovie) {
      movie = new BlinkingMovie(randomMovieOptions(this.random, (this.seed * 104729 + this.moviesMade++) >>> 0));
      this.movies[slot] = movie;
    }
    return movie;
  }
}
