import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { featureColumns, featureContext, featuresIn, pickFeatures, regionFeatures, type DoseEvent, type ObservedFrame, type Region } from './phototox-features';
import { frameBlocks, type BlockSums } from '../stats/frame-blocks';
import { openModelFolder } from '../store/model-folder';
import { RDF_FILE } from '../store/rdf';
import { phototoxWeightsSchema, predictProbability, type PhototoxWeights } from './phototox-model';

export const PHOTOTOX_WEIGHTS_FILE = 'phototox.json';
/** The shipped model folder (models/phototox-default at the project root). */
export const DEFAULT_PHOTOTOX_DIR = resolve(__dirname, '..', '..', '..', 'models', 'phototox-default');

export class PhototoxModelFileError extends Error {
  override readonly name = 'PhototoxModelFileError';
}

export interface FieldRisk {
  /** Mean calibrated probability of damage over the tiles that hold cells. */
  readonly meanRisk: number;
  /** The highest tile's probability. */
  readonly maxRisk: number;
  readonly tiles: number;
}

/** Per-field photodamage risk from recent frames and the dose history, as the agent asks for it. */
export class PhototoxPredictor {
  /** Where the model's features sit in the full feature vector (a format-1 model reads the first seven). */
  private readonly columns: readonly number[];

  constructor(
    readonly model: PhototoxWeights,
    private readonly tilePx = 32,
  ) {
    this.columns = featureColumns(model.featureNames);
  }

  /** Probability that the cells in `region` are photodamaged (stressed or dead) now. */
  regionRisk(frames: readonly ObservedFrame[], doses: readonly DoseEvent[], region: Region): number {
    return predictProbability(this.model, pickFeatures(regionFeatures(frames, doses, region, this.model.featureSettings), this.columns));
  }

  /**
   * Risk over the field's tiles that hold cells (brighter than the frame's median); NaN when nothing can be read.
   * What the tiles share (dose history, each frame's photometry) is worked out once per call, not once per tile:
   * a 2048² field takes tens of milliseconds, not minutes.
   */
  fieldRisk(frames: readonly ObservedFrame[], doses: readonly DoseEvent[]): FieldRisk {
    const newest = frames[frames.length - 1];
    if (!newest) return { meanRisk: NaN, maxRisk: NaN, tiles: 0 };
    const tile = this.tilePx;
    const { widthPx, heightPx, pixels } = newest;
    const tileMeans: Array<{ region: Region; mean: number }> = [];
    let blocks: BlockSums | undefined;
    if ((pixels instanceof Uint16Array || pixels instanceof Uint8Array) && tile % 4 === 0) {
      // a camera frame's tile sums add up, exactly (integer counts), from the 4 × 4 block sums of its one shared pass
      frameBlocks(pixels, widthPx, heightPx, 4);
      blocks = frameBlocks(pixels, widthPx, heightPx, tile);
    }
    for (let y = 0; y + tile <= heightPx; y += tile) {
      for (let x = 0; x + tile <= widthPx; x += tile) {
        let sum = 0;
        if (blocks) sum = blocks.sums[(y / tile) * blocks.w + x / tile];
        else for (let yy = y; yy < y + tile; yy++) for (let i = yy * widthPx + x, end = i + tile; i < end; i++) sum += pixels[i];
        tileMeans.push({ region: { x0Px: x, y0Px: y, sizePx: tile }, mean: sum / (tile * tile) });
      }
    }
    const sorted = tileMeans.map((t) => t.mean).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const occupied = tileMeans.filter((t) => t.mean >= median);
    const context = featureContext(frames, doses, this.model.featureSettings);
    let sum = 0;
    let maxRisk = -Infinity;
    for (const t of occupied) {
      const risk = predictProbability(this.model, pickFeatures(featuresIn(context, t.region), this.columns));
      sum += risk;
      maxRisk = Math.max(maxRisk, risk);
    }
    return { meanRisk: sum / occupied.length, maxRisk, tiles: occupied.length };
  }
}

/** Reads and validates a phototox model file (phototox.json in the folder). */
export function loadPhototoxPredictor(dir: string = DEFAULT_PHOTOTOX_DIR): PhototoxPredictor {
  const file = join(dir, PHOTOTOX_WEIGHTS_FILE);
  // a model folder (rdf.yaml) has its files' checksums checked: a truncated or swapped phototox.json is named
  if (existsSync(join(dir, RDF_FILE))) {
    try {
      openModelFolder(dir);
    } catch (err) {
      throw new PhototoxModelFileError(`phototox model folder refused: ${(err as Error).message}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PhototoxModelFileError(`cannot read phototox model ${file}: ${(err as Error).message}`);
  }
  const parsed = phototoxWeightsSchema.safeParse(json);
  if (!parsed.success) throw new PhototoxModelFileError(`phototox model ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return new PhototoxPredictor(parsed.data);
}
