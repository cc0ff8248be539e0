import { z } from 'zod';
import type { FrameMetadata } from '../frame';
import type { PlaneCoordinates } from './dataset-layout';

/**
 * What the storage keeps about each plane besides its pixels: where it sits and the frame's full metadata. It is
 * written with the pixels (a private TIFF tag in the plane's IFD, a line of the Zarr journal), so a data set cut
 * short by a crash still knows every plane it holds.
 */
export interface PlaneRecord extends PlaneCoordinates {
  /** Milliseconds since the data set's first frame (OME DeltaT). */
  readonly deltaTMs: number;
  /** The frame's metadata; absent for blank filler planes. */
  readonly meta?: FrameMetadata;
  /** A plane written at finalize where no frame was acquired, so every reader sees a complete T×C×Z grid. */
  readonly blank?: true;
}

const frameMetadataSchema = z.looseObject({
  acquisitionId: z.string(),
  sequence: z.number(),
  index: z.record(z.string(), z.number()),
  width: z.number(),
  height: z.number(),
  bitDepth: z.number(),
  pixelSizeUm: z.number(),
  exposureMs: z.number(),
  channel: z.object({ group: z.string(), config: z.string() }).optional(),
  illumination: z
    .object({ source: z.string(), channel: z.number(), powerPercent: z.number(), wavelengthNm: z.number().optional() })
    .optional(),
  stage: z.object({ xUm: z.number().optional(), yUm: z.number().optional(), zUm: z.number().optional() }),
  plannedStage: z.object({ xUm: z.number().optional(), yUm: z.number().optional(), zUm: z.number().optional() }).optional(),
  camera: z.string(),
  wallTimeMs: z.number(),
  hardwareTimeMs: z.number().optional(),
  positionName: z.string().optional(),
  tags: z.record(z.string(), z.unknown()).optional(),
});

const index = z.number().int().nonnegative();
const planeRecordSchema = z.object({
  t: index,
  c: index,
  z: index,
  position: index,
  deltaTMs: z.number(),
  meta: frameMetadataSchema.optional(),
  blank: z.literal(true).optional(),
});

/** Parses a stored record; undefined when the text is not one (a torn journal line, another program's tag). */
export function parsePlaneRecord(text: string): PlaneRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = planeRecordSchema.safeParse(json);
  return parsed.success ? (parsed.data as PlaneRecord) : undefined;
}

/** JSON with every non-ASCII character escaped: TIFF ASCII tags and OME readers then agree on the bytes. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The record as stored; device tags that JSON cannot hold (BigInt, cycles) are left out rather than failing the write. */
export function serializePlaneRecord(record: PlaneRecord): string {
  try {
    return asciiJson(record);
  } catch {
    const { tags: _dropped, ...meta } = record.meta ?? ({} as FrameMetadata);
    return asciiJson({ ...record, meta: record.meta ? meta : undefined });
  }
}

export function planeRecordFor(coordinates: PlaneCoordinates, meta: FrameMetadata, startWallTimeMs: number): PlaneRecord {
  return { ...coordinates, deltaTMs: meta.wallTimeMs - startWallTimeMs, meta };
}

/** Grid key of a plane within one position. */
export const planeKey = (plane: { t: number; c: number; z: number }): string => `${plane.t}/${plane.c}/${plane.z}`;
