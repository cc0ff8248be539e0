/**
 * A fixed time-lapse of the photodamage dish with the ground truth an evaluation of the mitosis detector needs:
 * the frames as the agent would get them (camera counts, dose per frame), and every mitosis with where and when it
 * happened. The truth stays in the script: the detector never sees it.
 */
import type { TimedFrame } from '../src/agent/observe/mitosis-events';
import { PhotodamageDish } from '../simulators/sample/photodamage';

export interface TimelapseCondition {
  readonly seed: number;
  /** Light at the sample, % of the lamp's 100 mW (1 % = 1 mW), as the agent commands it. */
  readonly lightPercent: number;
  readonly intervalS: number;
  readonly durationS: number;
  readonly exposureMs: number;
}

export interface TrueMitosis {
  readonly cellId: number;
  readonly startS: number;
  /** When it split; Infinity while still in mitosis at the end (or arrested, or the cell died). */
  readonly endS: number;
  readonly xPx: number;
  readonly yPx: number;
  /**
   * Counted in the recall: it started after the first frame, some frame saw it fully rounded, and the cell sits at
   * least EDGE_MARGIN_PX inside the field (the dish wraps around: a cell on the edge is drawn half on each side).
   */
  readonly eligible: boolean;
}

export interface TruthTimelapse {
  readonly frames: readonly TimedFrame[];
  readonly mitoses: readonly TrueMitosis[];
  readonly fieldPx: number;
}

/** A cell takes this long to round up fully (living-cell.ts: rounding = age / 300 s, up to 1). */
export const ROUNDING_S = 300;
export const EDGE_MARGIN_PX = 8;

export function truthTimelapse(condition: TimelapseCondition): TruthTimelapse {
  const dish = new PhotodamageDish({ seed: condition.seed });
  const half = dish.fieldUm / 2;
  const frames: TimedFrame[] = [];
  const seen = new Map<number, { xPx: number; yPx: number; roundedSeen: boolean }>();
  for (let t = 0; t <= condition.durationS + 1e-9; t += condition.intervalS) {
    dish.advanceTo(t);
    const frame = dish.expose({ powerMw: condition.lightPercent, wavelengthNm: 488 }, condition.exposureMs);
    frames.push({
      pixels: frame.raw,
      widthPx: frame.widthPx,
      heightPx: frame.heightPx,
      doseUnits: (condition.lightPercent * condition.exposureMs) / 1000,
      timeS: frame.timeS,
    });
    const starts = new Map(dish.mitoses().map((m) => [m.cellId, m.startS]));
    for (const cell of dish.truth()) {
      if (!cell.inMitosis) continue;
      const startS = starts.get(cell.id) ?? -Infinity;
      const known = seen.get(cell.id);
      const roundedSeen = (known?.roundedSeen ?? false) || frame.timeS - startS >= ROUNDING_S;
      // a cell in mitosis does not move: where it was first seen is where it divides
      seen.set(cell.id, { xPx: known?.xPx ?? cell.xUm + half, yPx: known?.yPx ?? cell.yUm + half, roundedSeen });
    }
  }
  const firstS = frames[0].timeS;
  const mitoses: TrueMitosis[] = [];
  for (const record of dish.mitoses()) {
    const where = seen.get(record.cellId);
    if (!where) continue;
    mitoses.push({
      cellId: record.cellId,
      startS: record.startS,
      endS: record.endS ?? Infinity,
      xPx: where.xPx,
      yPx: where.yPx,
      eligible:
        record.startS > firstS &&
        where.roundedSeen &&
        Math.min(where.xPx, where.yPx, dish.camera.widthPx - where.xPx, dish.camera.heightPx - where.yPx) >= EDGE_MARGIN_PX,
    });
  }
  return { frames, mitoses, fieldPx: dish.camera.widthPx };
}
