import { z } from 'zod';
import type { DroppedFrame, FrameMetadata } from '../../frame';
import type { DatasetState } from '../dataset-state';
import { bytesPerSample, type DatasetLayout, type SampleType } from '../dataset-layout';

/** zarr v2 dtype strings (little-endian, as the host writes the pixels). */
export const ZARR_DTYPE: Record<SampleType, string> = { uint8: '|u1', uint16: '<u2', float32: '<f4' };
const SAMPLE_TYPE_OF: Record<string, SampleType> = { '|u1': 'uint8', '<u1': 'uint8', '<u2': 'uint16', '<f4': 'float32' };

export const PLANES_JOURNAL = 'planes.jsonl';

export interface ZarrShape {
  readonly t: number;
  readonly c: number;
  readonly z: number;
}

/** `0/.zarray`: one chunk per plane (1,1,1,Y,X), uncompressed, nested "/" chunk keys. */
export function zarrayFor(layout: DatasetLayout, shape: ZarrShape): object {
  return {
    zarr_format: 2,
    shape: [shape.t, shape.c, shape.z, layout.heightPx, layout.widthPx],
    chunks: [1, 1, 1, layout.heightPx, layout.widthPx],
    dtype: ZARR_DTYPE[layout.dtype],
    compressor: null,
    fill_value: 0,
    order: 'C',
    filters: null,
    dimension_separator: '/',
  };
}

type StagePositionUm = FrameMetadata['stage'];

/** What we keep in an image's .zattrs under "scope": identity, state, and the layout recovery needs. */
export interface ScopeImageAttributes {
  readonly datasetUuid: string;
  readonly state: DatasetState;
  /** Why the acquisition failed or was cancelled. */
  readonly stateReason?: string;
  /** Frames the camera lost (blank planes): how many, and which (the first 1000). */
  readonly framesDropped?: number;
  readonly droppedFrames?: readonly DroppedFrame[];
  /** What other parts of the service recorded about the run (DatasetEnding.annotations). */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly position: number;
  readonly positionName?: string;
  readonly acquisitionId?: string;
  readonly derivedFrom?: { readonly path: string; readonly uuid: string };
  readonly acquisitionStartMs?: number;
  readonly planesWritten: number;
  /** The first plane's stage position, µm: as the stage reported it and as planned (every plane's: in the journal). */
  readonly stage?: { readonly reported: StagePositionUm; readonly planned?: StagePositionUm };
  /** JSON lines, one PlaneRecord per written plane (the per-plane metadata). */
  readonly planesJournal: string;
  readonly layout: DatasetLayout;
}

/** The NGFF image metadata both versions share: one multiscale level and omero channels (without version fields). */
export function ngffImage(name: string, shape: ZarrShape, layout: DatasetLayout): { multiscales: object[]; omero: object } {
  const max = layout.dtype === 'uint8' ? 255 : layout.dtype === 'uint16' ? 2 ** (layout.significantBits ?? 16) - 1 : 1;
  const timeScale = layout.timeIntervalMs && layout.timeIntervalMs > 0 ? layout.timeIntervalMs / 1000 : 1;
  return {
    multiscales: [
      {
        name,
        axes: [
          { name: 't', type: 'time', unit: 'second' },
          { name: 'c', type: 'channel' },
          { name: 'z', type: 'space', unit: 'micrometer' },
          { name: 'y', type: 'space', unit: 'micrometer' },
          { name: 'x', type: 'space', unit: 'micrometer' },
        ],
        datasets: [
          {
            path: '0',
            coordinateTransformations: [
              { type: 'scale', scale: [timeScale, 1, layout.zStepUm ?? 1, layout.pixelSizeUm, layout.pixelSizeUm] },
            ],
          },
        ],
      },
    ],
    omero: {
      name,
      channels: layout.channelNames.slice(0, shape.c).map((label, c) => ({
        label,
        color: layout.channelColors[c],
        active: true,
        coefficient: 1,
        family: 'linear',
        inverted: false,
        window: { min: 0, max, start: 0, end: max },
      })),
      rdefs: { model: 'color', defaultT: 0, defaultZ: Math.floor(shape.z / 2) },
    },
  };
}

/** An image's .zattrs: NGFF 0.4 multiscales (one level) and omero channel metadata, plus ours. */
export function imageAttributesFor(name: string, shape: ZarrShape, scope: ScopeImageAttributes): object {
  const { multiscales, omero } = ngffImage(name, shape, scope.layout);
  return { multiscales: multiscales.map((m) => ({ version: '0.4', ...m })), omero: { version: '0.4', ...omero }, scope };
}

export const planeBytesOf = (layout: DatasetLayout): number => layout.widthPx * layout.heightPx * bytesPerSample(layout.dtype);

/** Chunk key of plane (t, c, z) relative to the image: "0/t/c/z/0/0". */
export const chunkKey = (t: number, c: number, z: number): string => `0/${t}/${c}/${z}/0/0`;

export const zarraySchema = z.object({
  zarr_format: z.literal(2),
  shape: z.array(z.number().int().nonnegative()).length(5),
  chunks: z.array(z.number().int().positive()).length(5),
  dtype: z.string(),
  compressor: z.null(),
  /** zarr v2 writes a NaN fill value as the string "NaN" (derived images: planes never computed). */
  fill_value: z.union([z.number(), z.literal('NaN')]).nullable(),
  order: z.literal('C'),
  dimension_separator: z.enum(['/', '.']).optional(),
});

export type Zarray = z.infer<typeof zarraySchema>;

export const sampleTypeOfZarrDtype = (dtype: string): SampleType | undefined => SAMPLE_TYPE_OF[dtype];
