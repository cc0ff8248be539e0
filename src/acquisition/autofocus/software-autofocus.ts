import type { Camera, ZStage } from '../../hardware/devices';
import { findFocusPeak, type FocusSample } from './peak';
import { normalizedVariance } from './sharpness';

/** Autofocus device name that makes the engine focus in software (a z-scan of snaps) instead of calling fullFocus. */
export const SOFTWARE_AUTOFOCUS = 'SoftwareAutofocus';

export interface SoftwareAutofocusOptions {
  /** Width of the coarse scan, centred on the current focus, µm. Default 10. */
  readonly coarseRangeUm?: number;
  /** Step of the coarse scan, µm; about the depth of field. Default 1. */
  readonly coarseStepUm?: number;
  /** Width of the fine scan, centred on the coarse peak, µm. Default 2 (± one coarse step). */
  readonly fineRangeUm?: number;
  /** Step of the fine scan, µm. Default 0.25. */
  readonly fineStepUm?: number;
  /** Coarse scans when the peak keeps landing on the range's edge, each shifted by a range; default 2. */
  readonly maxCoarseScans?: number;
  /** Below this (max − min) / max over the coarse scan the field is taken to have nothing to focus on. Default 0.1. */
  readonly minContrast?: number;
}

export interface SoftwareAutofocusResult {
  /** Where the focus stage was left, µm: the best focus, or the start when nothing was found. */
  readonly zUm: number;
  readonly startZUm: number;
  /** false when the scan saw no peak (an empty field): the stage then goes back to where it started. */
  readonly found: boolean;
  /** Every snap of the scan, in the order taken. */
  readonly samples: readonly FocusSample[];
}

export class AutofocusOptionsError extends Error {
  override readonly name = 'AutofocusOptionsError';
}

/** What the software autofocus drives: a camera to snap with, a focus stage to move. */
export interface AutofocusHardware {
  readonly camera: Camera;
  readonly zStage: ZStage;
}

type Resolved = Required<SoftwareAutofocusOptions>;

function resolve(options: SoftwareAutofocusOptions): Resolved {
  const resolved: Resolved = {
    coarseRangeUm: options.coarseRangeUm ?? 10,
    coarseStepUm: options.coarseStepUm ?? 1,
    fineRangeUm: options.fineRangeUm ?? 2,
    fineStepUm: options.fineStepUm ?? 0.25,
    maxCoarseScans: options.maxCoarseScans ?? 2,
    minContrast: options.minContrast ?? 0.1,
  };
  for (const name of ['coarseRangeUm', 'coarseStepUm', 'fineRangeUm', 'fineStepUm'] as const) {
    if (!(Number.isFinite(resolved[name]) && resolved[name] > 0))
      throw new AutofocusOptionsError(`software autofocus: ${name} must be a positive number, got ${resolved[name]}`);
  }
  if (!(Number.isInteger(resolved.maxCoarseScans) && resolved.maxCoarseScans >= 1)) {
    throw new AutofocusOptionsError(`software autofocus: maxCoarseScans must be a whole number ≥ 1, got ${resolved.maxCoarseScans}`);
  }
  if (!(resolved.minContrast >= 0 && resolved.minContrast < 1))
    throw new AutofocusOptionsError(`software autofocus: minContrast must lie in [0, 1), got ${resolved.minContrast}`);
  return resolved;
}

/** z positions of a scan of `rangeUm` in steps of about `stepUm`, centred on `centreUm`, always an odd count ≥ 3. */
export function scanPositions(centreUm: number, rangeUm: number, stepUm: number): number[] {
  const half = Math.max(1, Math.round(rangeUm / 2 / stepUm));
  const positions: number[] = [];
  for (let k = -half; k <= half; k++) positions.push(centreUm + k * stepUm);
  return positions;
}

/**
 * Software autofocus for microscopes without a hardware one: a coarse z-scan around the current focus, then a
 * fine one around the coarse peak, scoring each snap by its normalised variance; the best z comes from a parabola
 * through the peak and its neighbours, and the stage is left there.
 */
export async function runSoftwareAutofocus(
  hardware: AutofocusHardware,
  options: SoftwareAutofocusOptions = {},
): Promise<SoftwareAutofocusResult> {
  const settings = resolve(options);
  const { camera, zStage } = hardware;
  const startZUm = await zStage.getPositionUm();
  const samples: FocusSample[] = [];
  const scan = async (positions: readonly number[]): Promise<FocusSample[]> => {
    const scanned: FocusSample[] = [];
    for (const zUm of positions) {
      await zStage.setPositionUm(zUm);
      await zStage.waitUntilIdle();
      const image = await camera.snap();
      scanned.push({ zUm, score: normalizedVariance(image.pixels) });
    }
    samples.push(...scanned);
    return scanned;
  };
  const moveTo = async (zUm: number) => {
    await zStage.setPositionUm(zUm);
    await zStage.waitUntilIdle();
  };

  let centreUm = startZUm;
  let coarse = findFocusPeak(await scan(scanPositions(centreUm, settings.coarseRangeUm, settings.coarseStepUm)));
  for (let pass = 1; pass < settings.maxCoarseScans && coarse.atEdge && coarse.contrast >= settings.minContrast; pass++) {
    // The peak lies beyond the edge: scan the next range over, keeping what was already measured.
    const direction = coarse.zUm > centreUm ? 1 : -1;
    centreUm += direction * settings.coarseRangeUm;
    const seen = (zUm: number) => samples.some((sample) => Math.abs(sample.zUm - zUm) < 1e-9);
    await scan(scanPositions(centreUm, settings.coarseRangeUm, settings.coarseStepUm).filter((zUm) => !seen(zUm)));
    coarse = findFocusPeak(samples);
  }
  if (coarse.contrast < settings.minContrast) {
    await moveTo(startZUm);
    return { zUm: startZUm, startZUm, found: false, samples };
  }
  const fine = findFocusPeak(await scan(scanPositions(coarse.zUm, settings.fineRangeUm, settings.fineStepUm)));
  await moveTo(fine.zUm);
  return { zUm: fine.zUm, startZUm, found: true, samples };
}
