/** Held-out simulations for choosing the Deep-STORM localisation threshold after training. */
import type * as tf from '@tensorflow/tfjs';
import { BlinkingMovie } from '../simulators/sample/blinking';
import { Random } from '../simulators/sample/random';
import { TfjsRuntime } from '../src/models/runtime/tfjs-runtime';
import { PREDICTED_MASS_PER_EMITTER } from '../src/models/smlm/deep-storm/heatmap';
import { localiseDensity } from '../src/models/smlm/deep-storm/localise-density';
import { predictDensities } from '../src/models/smlm/deep-storm/predict-frames';
import type { InputNormalization } from '../src/models/smlm/deep-storm/preprocess';
import { scoreLocalisations } from '../src/models/smlm/metrics/match-localisations';
import { randomMovieOptions, TRAINING_FRAME_PX, TRAINING_PIXEL_NM } from './storm-training-data';

export const VALIDATION_DENSITIES = [0.5, 2, 5] as const;
const RADII = [1, 2, 3];
const THRESHOLDS = [0.04, 0.06, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5];

export interface Calibration {
  readonly threshold: number;
  readonly radiusPx: number;
  /** Jaccard at 100 nm per validation density, at the chosen threshold. */
  readonly scores: Record<string, number>;
}

export async function calibrateLocalisation(
  model: tf.LayersModel,
  normalization: InputNormalization,
  upsampling: number,
  seed: number,
): Promise<Calibration> {
  const random = new Random(seed);
  const runtime = new TfjsRuntime(model);
  type ValidationFrame = { frame: number; maps: Float32Array; truth: Array<{ frame: number; xNm: number; yNm: number }> };
  const cases: Array<{ density: number; frames: ValidationFrame[] }> = [];
  for (const d of VALIDATION_DENSITIES) {
    const movies = [
      new BlinkingMovie({ seed: seed + Math.round(d * 100), widthPx: TRAINING_FRAME_PX, heightPx: TRAINING_FRAME_PX, densityPerUm2: d }),
      new BlinkingMovie({ ...randomMovieOptions(random, seed + 7 + Math.round(d * 100)), densityPerUm2: d }),
    ];
    const frames: ValidationFrame[] = [];
    for (const movie of movies) {
      const rendered = movie.take(6);
      const maps = await predictDensities(
        rendered.map((f) => f.pixels),
        TRAINING_FRAME_PX,
        TRAINING_FRAME_PX,
        runtime,
        { upsampling, normalization },
      );
      rendered.forEach((f, i) =>
        frames.push({
          frame: frames.length,
          maps: maps[i],
          truth: f.emitters.map((e) => ({ frame: frames.length, xNm: e.xNm, yNm: e.yNm })),
        }),
      );
    }
    cases.push({ density: d, frames });
  }
  const srPixelNm = TRAINING_PIXEL_NM / upsampling;
  const side = TRAINING_FRAME_PX * upsampling;
  let best: Calibration = { threshold: THRESHOLDS[0], radiusPx: 1, scores: {} };
  let bestMean = -1;
  for (const radiusPx of RADII) {
    for (const threshold of THRESHOLDS) {
      const scores: Record<string, number> = {};
      for (const c of cases) {
        const predicted = c.frames.flatMap((f) =>
          localiseDensity(f.maps, side, side, f.frame, { srPixelNm, massPerEmitter: PREDICTED_MASS_PER_EMITTER, threshold, radiusPx }),
        );
        scores[`density${c.density}`] = scoreLocalisations(
          predicted,
          c.frames.flatMap((f) => f.truth),
          100,
        ).jaccard;
      }
      const mean = Object.values(scores).reduce((a, b) => a + b, 0) / cases.length;
      if (mean > bestMean) {
        bestMean = mean;
        best = { threshold, radiusPx, scores };
      }
    }
  }
  return best;
}
