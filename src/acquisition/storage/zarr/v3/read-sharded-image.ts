import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { bytesPerSample } from '../../dataset-layout';
import { ZarrFormatError } from '../../storage-errors';
import { newPlane } from '../../tiff/tiff-page';
import { PLANES_JOURNAL, type ScopeImageAttributes } from '../ngff-metadata';
import { multiscalesSchema, readJournal, type OmeZarrImageContents } from '../read-ome-zarr';
import {
  arrayMetadataSchema,
  chunksPerShard,
  planeInShard,
  sampleTypeOfDataType,
  shardShapeOfMetadata,
  ZARR_JSON,
  type ArrayMetadata,
} from './ngff05-metadata';
import { shardIndexBytes, ShardIndex } from './shard-index';

export async function readZarrJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ZarrFormatError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return z.looseObject({ zarr_format: z.literal(3) }).parse(JSON.parse(text));
  } catch (error) {
    throw new ZarrFormatError(`${path}: not zarr v3 metadata: ${(error as Error).message}`);
  }
}

/** The index at the end of a shard file; undefined when there is no shard, or its index is torn (bad CRC). */
export async function readShardIndex(path: string, chunks: number): Promise<{ index?: ShardIndex; sizeBytes: number } | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const length = shardIndexBytes(chunks);
    if (size < length) return { sizeBytes: size };
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, size - length);
    return { index: ShardIndex.parse(bytes, chunks), sizeBytes: size };
  } finally {
    await handle.close();
  }
}

/** Opens one NGFF 0.5 image group whose array is stored in zarr v3 shards as `ShardedZarrImage` writes them. */
export async function readShardedImage(directory: string): Promise<OmeZarrImageContents> {
  const group = await readZarrJson(join(directory, ZARR_JSON));
  const groupAttributes = (group.attributes ?? {}) as Record<string, unknown>;
  const ome = (groupAttributes.ome ?? {}) as Record<string, unknown>;
  const multiscales = multiscalesSchema.safeParse(ome.multiscales);
  if (!multiscales.success)
    throw new ZarrFormatError(`${directory}: zarr.json has no valid NGFF 0.5 multiscales (${multiscales.error.issues[0]?.message})`);
  const dataset = multiscales.data[0].datasets[0];
  const arrayDirectory = join(directory, dataset.path);
  const parsed = arrayMetadataSchema.safeParse(await readZarrJson(join(arrayDirectory, ZARR_JSON)));
  if (!parsed.success)
    throw new ZarrFormatError(
      `${arrayDirectory}/zarr.json is not an array of uncompressed plane shards: ${parsed.error.issues[0]?.message}`,
    );
  const metadata: ArrayMetadata = parsed.data;
  const sampleType = sampleTypeOfDataType(metadata.data_type);
  if (!sampleType) throw new ZarrFormatError(`${arrayDirectory}: data type ${metadata.data_type} is not uint8, uint16 or float32`);
  const [, , , height, width] = metadata.shape;
  const inner = metadata.codecs[0].configuration.chunk_shape;
  if (inner.slice(0, 3).some((size) => size !== 1) || inner[3] !== height || inner[4] !== width)
    throw new ZarrFormatError(`${arrayDirectory}: inner chunks ${JSON.stringify(inner)}; this reader reads one plane per chunk`);
  const shard = shardShapeOfMetadata(metadata);
  const chunks = chunksPerShard(shard);
  const planeBytes = width * height * bytesPerSample(sampleType);
  const indexes = new Map<string, Promise<ShardIndex | undefined>>();
  const placeOf = async (t: number, c: number, zIndex: number) => {
    const { shardKey, chunk } = planeInShard(shard, t, c, zIndex);
    const path = join(directory, shardKey);
    if (!indexes.has(path))
      indexes.set(
        path,
        readShardIndex(path, chunks).then((read) => read?.index),
      );
    const place = (await indexes.get(path))?.get(chunk);
    return place ? { path, ...place } : undefined;
  };
  const omero = ome.omero as { channels?: { label?: string }[] } | undefined;
  const scope = groupAttributes.scope as ScopeImageAttributes | undefined;
  return {
    path: directory,
    zarrFormat: 3,
    name: multiscales.data[0].name,
    shape: metadata.shape as unknown as OmeZarrImageContents['shape'],
    sampleType,
    arrayMetadata: metadata,
    attributes: groupAttributes,
    channelNames: (omero?.channels ?? []).map((channel, c) => channel.label ?? `Channel ${c}`),
    scale: dataset.coordinateTransformations?.find((transform) => transform.type === 'scale')?.scale,
    scope,
    planeRecords: await readJournal(join(directory, scope?.planesJournal ?? PLANES_JOURNAL)),
    hasPlane: async (t, c, zIndex) => (await placeOf(t, c, zIndex))?.nbytes === planeBytes,
    readPlane: async (t, c, zIndex) => {
      if (t >= metadata.shape[0] || c >= metadata.shape[1] || zIndex >= metadata.shape[2])
        throw new RangeError(`${directory}: plane t=${t} c=${c} z=${zIndex} is outside shape ${metadata.shape.join('×')}`);
      const plane = newPlane(sampleType, width * height);
      const place = await placeOf(t, c, zIndex);
      if (!place) return metadata.fill_value ? plane.fill(metadata.fill_value) : plane;
      if (place.nbytes !== planeBytes)
        throw new ZarrFormatError(`${place.path}: chunk of ${place.nbytes} bytes, a plane has ${planeBytes}`);
      const handle = await open(place.path, 'r');
      try {
        const { bytesRead } = await handle.read(new Uint8Array(plane.buffer), 0, planeBytes, place.offset);
        if (bytesRead !== planeBytes)
          throw new ZarrFormatError(`${place.path}: ${bytesRead} bytes at ${place.offset}, a plane has ${planeBytes}`);
      } finally {
        await handle.close();
      }
      return plane;
    },
  };
}

/** Whether a store (or image group) is zarr v3: it has a zarr.json. */
export const isZarrV3 = async (path: string): Promise<boolean> =>
  (await stat(join(path, ZARR_JSON)).catch(() => undefined))?.isFile() === true;
