/**
 * NGFF 0.5 on zarr v3 with sharding: each image group's zarr.json holds the OME metadata under attributes.ome, and
 * its array "0" stores planes as inner chunks (1, 1, 1, Y, X) of shards that span `shardT` time points and every
 * channel and z of them: one file per shard instead of one per plane. Uncompressed, little-endian.
 */
import { z } from 'zod';
import type { DatasetLayout, SampleType } from '../../dataset-layout';
import { ngffImage, type ScopeImageAttributes, type ZarrShape } from '../ngff-metadata';

export const ZARR_JSON = 'zarr.json';

const DATA_TYPE: Record<SampleType, string> = { uint8: 'uint8', uint16: 'uint16', float32: 'float32' };
const SAMPLE_TYPE_OF: Record<string, SampleType> = { uint8: 'uint8', uint16: 'uint16', float32: 'float32' };

/** Shards of about this size by default (a few hundred planes of 512², one time point's stack of 2048²). */
export const DEFAULT_SHARD_TARGET_BYTES = 256 * 2 ** 20;
const MAX_CHUNKS_PER_SHARD = 1024;

/** How many time points a shard spans: about `targetBytes` of planes, and an index never above a quarter plane. */
export function shardTimePoints(layout: DatasetLayout, planeBytes: number, targetBytes = DEFAULT_SHARD_TARGET_BYTES): number {
  const perTimePoint = layout.sizes.c * layout.sizes.z;
  const chunks = Math.min(MAX_CHUNKS_PER_SHARD, Math.floor(targetBytes / planeBytes), Math.floor(planeBytes / 64));
  return Math.max(1, Math.floor(chunks / perTimePoint));
}

export interface ShardShape {
  readonly t: number;
  readonly c: number;
  readonly z: number;
}

/** The shard of a layout: `t` time points, and the planned channels and z of each. */
export const shardShapeOf = (layout: DatasetLayout, shardT: number): ShardShape => ({ t: shardT, c: layout.sizes.c, z: layout.sizes.z });

export const chunksPerShard = (shard: ShardShape): number => shard.t * shard.c * shard.z;

/** Where plane (t, c, z) sits: its shard's key relative to the image ("0/c/<shard>/0/0/0/0") and its inner chunk. */
export function planeInShard(shard: ShardShape, t: number, c: number, z: number): { shardKey: string; chunk: number } {
  const shardIndex = Math.floor(t / shard.t);
  return { shardKey: `0/c/${shardIndex}/0/0/0/0`, chunk: ((t - shardIndex * shard.t) * shard.c + c) * shard.z + z };
}

/** The array's zarr.json. */
export function arrayMetadataFor(layout: DatasetLayout, shape: ZarrShape, shard: ShardShape): object {
  return {
    zarr_format: 3,
    node_type: 'array',
    shape: [shape.t, shape.c, shape.z, layout.heightPx, layout.widthPx],
    data_type: DATA_TYPE[layout.dtype],
    chunk_grid: { name: 'regular', configuration: { chunk_shape: [shard.t, shard.c, shard.z, layout.heightPx, layout.widthPx] } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: 0,
    codecs: [
      {
        name: 'sharding_indexed',
        configuration: {
          chunk_shape: [1, 1, 1, layout.heightPx, layout.widthPx],
          codecs: [{ name: 'bytes', configuration: { endian: 'little' } }],
          index_codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'crc32c' }],
          index_location: 'end',
        },
      },
    ],
    dimension_names: ['t', 'c', 'z', 'y', 'x'],
    attributes: {},
  };
}

/** An image group's zarr.json: NGFF 0.5 under "ome", ours under "scope". */
export function imageGroupFor(name: string, shape: ZarrShape, scope: ScopeImageAttributes): object {
  return { zarr_format: 3, node_type: 'group', attributes: { ome: { version: '0.5', ...ngffImage(name, shape, scope.layout) }, scope } };
}

/** A plain group's zarr.json (the root of a multi-position store, its OME group). */
export const groupFor = (attributes: object): object => ({ zarr_format: 3, node_type: 'group', attributes });

const codec = z.looseObject({ name: z.string(), configuration: z.looseObject({}).optional() });

/** What our reader accepts: the layout above (uncompressed inner chunks of one plane, index at the end with CRC). */
export const arrayMetadataSchema = z.looseObject({
  zarr_format: z.literal(3),
  node_type: z.literal('array'),
  shape: z.array(z.number().int().nonnegative()).length(5),
  data_type: z.string(),
  chunk_grid: z.object({
    name: z.literal('regular'),
    configuration: z.object({ chunk_shape: z.array(z.number().int().positive()).length(5) }),
  }),
  chunk_key_encoding: z.object({ name: z.literal('default'), configuration: z.object({ separator: z.literal('/') }).optional() }),
  fill_value: z.number(),
  codecs: z
    .array(
      z.object({
        name: z.literal('sharding_indexed'),
        configuration: z.object({
          chunk_shape: z.array(z.number().int().positive()).length(5),
          codecs: z.array(codec).length(1),
          index_codecs: z.array(codec).length(2),
          index_location: z.literal('end'),
        }),
      }),
    )
    .length(1),
});

export type ArrayMetadata = z.infer<typeof arrayMetadataSchema>;

export const sampleTypeOfDataType = (dataType: string): SampleType | undefined => SAMPLE_TYPE_OF[dataType];

/** The shard shape stated by an array's metadata. */
export function shardShapeOfMetadata(metadata: ArrayMetadata): ShardShape {
  const [t, c, zSize] = metadata.chunk_grid.configuration.chunk_shape;
  return { t, c, z: zSize };
}
