import { countFrames } from './count-frames';
import { estimateDuration, type DurationEstimate } from './estimate-duration';
import { FieldOfViewRequiredError } from './plan-errors';
import type { Axis, ExpansionOptions, MDASequence } from './plan-types';
import { axisSizes } from './sequence-axes';

export type StorageFormat = 'ome-tiff' | 'ome-zarr' | 'raw';

/**
 * Rough bytes each format adds around the pixels: per image plane (TIFF IFD + OME-XML <Plane>/<TiffData>
 * entries; a Zarr chunk's file-system slack is not counted) and once per data set (headers, .zattrs/.zarray).
 */
const FORMAT_OVERHEAD_BYTES: Readonly<Record<StorageFormat, { perPlane: number; fixed: number }>> = {
  'ome-tiff': { perPlane: 512, fixed: 16_384 },
  'ome-zarr': { perPlane: 64, fixed: 8_192 },
  raw: { perPlane: 0, fixed: 0 },
};

export interface SummaryOptions extends ExpansionOptions {
  readonly cameraWidthPx?: number;
  readonly cameraHeightPx?: number;
  readonly bytesPerPixel?: number;
  /** Stage micrometres per camera pixel; with the camera size it gives the field of view for grid plans. */
  readonly pixelSizeUm?: number;
  readonly format?: StorageFormat;
}

export interface PlanSummary {
  /** Length of each axis of the top-level plan, in its axis order (useq's `sizes`). */
  readonly axisSizes: Readonly<Partial<Record<Axis, number>>>;
  /** Images the plan takes (acquire_image events; autofocus events not included). */
  readonly totalFrames: number;
  /** useq's estimate; null when an area-sized grid has no field of view to count its tiles. */
  readonly duration: DurationEstimate | null;
  readonly estimatedDurationS: number | null;
  /** Present when the camera size and bytes per pixel are given. */
  readonly bytesPerFrame?: number;
  readonly estimatedBytes?: number;
  readonly format?: StorageFormat;
}

/** Camera size × pixel size, the field of view pymmcore-plus gives grid plans that have none. */
export function fovFromCamera(widthPx: number, heightPx: number, pixelSizeUm: number): Required<ExpansionOptions> {
  return { fovWidthUm: widthPx * pixelSizeUm, fovHeightUm: heightPx * pixelSizeUm };
}

/** Sizes, frame count, duration and bytes on disk of a plan, computed without expanding its events. */
export function summarizePlan(sequence: MDASequence, options: SummaryOptions = {}): PlanSummary {
  const fov = expansionFov(options);
  const totalFrames = countFrames(sequence, fov);
  let duration: DurationEstimate | null = null;
  try {
    duration = estimateDuration(sequence, fov);
  } catch (error) {
    if (!(error instanceof FieldOfViewRequiredError)) throw error;
  }
  const summary = { axisSizes: axisSizes(sequence, fov), totalFrames, duration, estimatedDurationS: duration?.totalDurationS ?? null };
  const { cameraWidthPx, cameraHeightPx, bytesPerPixel } = options;
  if (cameraWidthPx === undefined || cameraHeightPx === undefined || bytesPerPixel === undefined) return summary;
  const format = options.format ?? 'ome-tiff';
  const overhead = FORMAT_OVERHEAD_BYTES[format];
  const bytesPerFrame = cameraWidthPx * cameraHeightPx * bytesPerPixel;
  return {
    ...summary,
    bytesPerFrame,
    estimatedBytes: totalFrames * (bytesPerFrame + overhead.perPlane) + overhead.fixed,
    format,
  };
}

function expansionFov(options: SummaryOptions): ExpansionOptions {
  const { cameraWidthPx, cameraHeightPx, pixelSizeUm } = options;
  const fromCamera: ExpansionOptions =
    cameraWidthPx !== undefined && cameraHeightPx !== undefined && pixelSizeUm !== undefined
      ? fovFromCamera(cameraWidthPx, cameraHeightPx, pixelSizeUm)
      : {};
  return {
    fovWidthUm: options.fovWidthUm ?? fromCamera.fovWidthUm,
    fovHeightUm: options.fovHeightUm ?? fromCamera.fovHeightUm,
  };
}
