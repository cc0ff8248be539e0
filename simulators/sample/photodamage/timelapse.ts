import { PhotodamageDish, type DishFrame, type DishLight, type DishOptions } from './photodamage-dish';

export interface TimelapseOptions {
  readonly dish: DishOptions;
  readonly durationS: number;
  readonly intervalS: number;
  readonly light: DishLight;
  readonly exposureMs: number;
  /** Sees every frame as it is taken, with the dish (ground truth) right after it. */
  readonly onFrame?: (frame: DishFrame, dish: PhotodamageDish) => void;
}

export interface TimelapseSummary {
  readonly dish: PhotodamageDish;
  readonly frames: number;
  /** Illumination dose delivered at the field centre, mW·s. */
  readonly doseMwS: number;
}

/** A fixed protocol, headless: one frame every intervalS for durationS (a frame at 0 and at the end included). */
export function runFixedTimelapse(options: TimelapseOptions): TimelapseSummary {
  const dish = new PhotodamageDish(options.dish);
  let frames = 0;
  let doseMwS = 0;
  for (let t = 0; t <= options.durationS + 1e-9; t += options.intervalS) {
    dish.advanceTo(t);
    const frame = dish.expose(options.light, options.exposureMs);
    doseMwS += options.light.powerMw * (options.exposureMs / 1000);
    frames++;
    options.onFrame?.(frame, dish);
  }
  return { dish, frames, doseMwS };
}
