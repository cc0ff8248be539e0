import type { CareModel } from '../care-model';
import type { GroupedSample } from '../cross-validated-calibration';
import { normalizedSquaredErrors } from '../evaluation/image-metrics';
import { measureInput } from '../input-check';
import { NORMALIZATION_EPS } from '../normalization';
import { inputPsnrDb } from '../quality-calibration';
import type { RawImage } from '../training/train-care';
import { crop, signalTiles, type Tile } from './calibration-tiles';

/**
 * PSNR calibration samples from one held-out pair: the frame is restored whole, as the live branch restores it,
 * and each tile's figures are the frame's own restricted to the tile, in the frame's units (its percentile range,
 * the evaluation's affine fit of the restoration onto the normalised target): the network's predicted PSNR from
 * the tile's part of the uncertainty map, the input check on the tile's pixels against the frame's range, and the
 * PSNR of the tile's part of the error. A frame's figures are then the power mean of its tiles', so a map fitted on
 * tiles holds for whole frames; tiles restored as frames of their own did not (on the job spec's pairs, 4.1 dB of
 * mean error on whole frames against 1.8 dB).
 */

export interface PairSamples {
  /** The whole frame's figures: never fitted on, a check of the map on what the live branch measures. */
  readonly frame: GroupedSample | null;
  readonly tiles: readonly GroupedSample[];
  /** Tiles without signal, or whose figures are not finite. */
  readonly skipped: number;
}

const psnrDb = (meanSquare: number) => -10 * Math.log10(Math.max(meanSquare, 1e-24));

function meanOver(values: ArrayLike<number>, widthPx: number, tile: Tile, power: 1 | 2): number {
  let sum = 0;
  for (let y = tile.yPx; y < tile.yPx + tile.sizePx; y++) {
    for (let x = tile.xPx; x < tile.xPx + tile.sizePx; x++) sum += values[y * widthPx + x] ** power;
  }
  return sum / (tile.sizePx * tile.sizePx);
}

const finite = (s: GroupedSample) => [s.predictedPsnrDb, s.inputPsnrDb, s.measuredPsnrDb].every(Number.isFinite);

export async function pairSamples(model: Pick<CareModel, 'restore'>, pair: { readonly name: string; readonly source: RawImage; readonly target: RawImage }, tilePx: number): Promise<PairSamples> {
  const { pixels, widthPx, heightPx } = pair.source;
  const { restored, uncertainty, quality } = await model.restore(pixels, widthPx, heightPx);
  const range = quality.normalization;
  const scale = range.high - range.low + NORMALIZATION_EPS;
  const errors = normalizedSquaredErrors(restored, pair.target.pixels);
  const inputFigures = (region: ArrayLike<number>, regionWidthPx: number, regionHeightPx: number) => {
    const statistics = measureInput(region, regionWidthPx, regionHeightPx, range);
    return { inputPsnrDb: inputPsnrDb(statistics.normalizedNoise), peakPhotons: statistics.peakPhotons };
  };
  const frame: GroupedSample = {
    group: pair.name,
    predictedPsnrDb: quality.uncalibratedPsnrDb,
    ...inputFigures(pixels, widthPx, heightPx),
    measuredPsnrDb: psnrDb(errors.reduce((t, e) => t + e, 0) / errors.length),
  };
  const { tiles, skipped } = signalTiles(pair.target, tilePx);
  const samples = tiles
    .map(
      (tile): GroupedSample => ({
        group: pair.name,
        predictedPsnrDb: psnrDb(meanOver(uncertainty, widthPx, tile, 2) / scale ** 2),
        ...inputFigures(crop(pixels, widthPx, tile), tile.sizePx, tile.sizePx),
        measuredPsnrDb: psnrDb(meanOver(errors, widthPx, tile, 1)),
      }),
    )
    .filter(finite);
  return { frame: finite(frame) ? frame : null, tiles: samples, skipped: skipped + tiles.length - samples.length };
}
