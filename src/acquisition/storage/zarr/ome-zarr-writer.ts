import { randomUUID } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Frame } from '../../frame';
import type { DatasetEnding } from '../dataset-state';
import { positionCount, validateLayout, type DatasetLayout, type DatasetLayoutInput, type PlaneCoordinates } from '../dataset-layout';
import { resolveDurability, type ResolvedDurability } from '../durability';
import { storageError } from '../file-io';
import { pixelBytes, type FrameWriter, type WriterOptions } from '../frame-writer';
import type { PlaneRecord } from '../plane-record';
import { finalizeEach, SerialFrameWriter } from '../serial-frame-writer';
import { planeBytesOf } from './ngff-metadata';
import { OmeZarrImage, type ZarrImageWriter } from './ome-zarr-image';
import { groupFor, shardTimePoints, ZARR_JSON } from './v3/ngff05-metadata';
import { ShardedZarrImage } from './v3/sharded-image';
import { writeJsonAtomic } from './zarr-files';

export interface ZarrWriterOptions {
  /** 2: NGFF 0.4 on zarr v2, a file per plane (the default; zarr-python 2 reads it). 3: NGFF 0.5 on zarr v3 shards. */
  readonly zarrVersion?: 2 | 3;
  /** zarr v3: about this many bytes of planes per shard file (default DEFAULT_SHARD_TARGET_BYTES). */
  readonly shardTargetBytes?: number;
}

/**
 * Opens an OME-Zarr data set: NGFF 0.4 on zarr v2 (a chunk file per plane) or NGFF 0.5 on zarr v3 with sharding
 * (many planes per shard file). One position: the store itself is the image. Several: the bioformats2raw layout,
 * one image group per position ("0", "1", …) listed in the OME group. The metadata is a few JSON files written here
 * directly, and so are the shards: zarrita (the maintained JavaScript zarr) is ESM-only, creates no zarr v2 arrays
 * and does not write sharded arrays (its `set` refuses them); the tests read our shards with it.
 */
export async function openOmeZarrWriter(
  path: string,
  layoutInput: DatasetLayoutInput,
  options?: WriterOptions & ZarrWriterOptions,
): Promise<FrameWriter> {
  const layout = validateLayout(layoutInput, path);
  const durability = resolveDurability(options);
  const datasetUuid = options?.datasetUuid ?? `urn:uuid:${randomUUID()}`;
  const fsync = { fsync: durability.fsync };
  if (
    await access(path).then(
      () => true,
      () => false,
    )
  ) {
    throw storageError(Object.assign(new Error('path exists; raw data is never overwritten'), { code: 'EEXIST' }), 'creating', path);
  }
  const positions = positionCount(layout);
  const name = layout.name ?? basename(path).replace(/(\.ome)?\.zarr$/i, '');
  const version = options?.zarrVersion ?? 2;
  const shardT = shardTimePoints(layout, planeBytesOf(layout), options?.shardTargetBytes);
  const images: ZarrImageWriter[] = [];
  try {
    await mkdir(path);
    for (let position = 0; position < positions; position++) {
      const positionName = layout.positionNames?.[position];
      const identity = { datasetUuid, position, positionName, acquisitionId: layout.acquisitionId, derivedFrom: layout.derivedFrom };
      const directory = positions > 1 ? join(path, String(position)) : path;
      const imageName = positions > 1 ? `${name} ${positionName ?? `position ${position}`}` : name;
      images.push(
        version === 3
          ? await ShardedZarrImage.create(directory, imageName, layout, identity, shardT, durability.fsync)
          : await OmeZarrImage.create(directory, imageName, layout, identity, durability.fsync),
      );
    }
    if (positions > 1 && version === 3) {
      const series = images.map((_, position) => String(position));
      await writeJsonAtomic(
        join(path, ZARR_JSON),
        groupFor({ ome: { version: '0.5', 'bioformats2raw.layout': 3 }, scope: { datasetUuid, layout } }),
        fsync,
      );
      await mkdir(join(path, 'OME'));
      await writeJsonAtomic(join(path, 'OME', ZARR_JSON), groupFor({ ome: { version: '0.5', series } }), fsync);
    } else if (positions > 1) {
      await writeJsonAtomic(join(path, '.zgroup'), { zarr_format: 2 }, fsync);
      await writeJsonAtomic(join(path, '.zattrs'), { 'bioformats2raw.layout': 3, scope: { datasetUuid, layout } }, fsync);
      await mkdir(join(path, 'OME'));
      await writeJsonAtomic(join(path, 'OME', '.zgroup'), { zarr_format: 2 }, fsync);
      await writeJsonAtomic(join(path, 'OME', '.zattrs'), { series: images.map((_, position) => String(position)) }, fsync);
    }
  } catch (error) {
    throw storageError(error, 'creating OME-Zarr data set', path);
  }
  return new OmeZarrDatasetWriter(path, layout, durability, datasetUuid, images);
}

class OmeZarrDatasetWriter extends SerialFrameWriter {
  get location(): string {
    return this.path;
  }

  get files(): readonly string[] {
    return [this.path];
  }

  constructor(
    path: string,
    layout: DatasetLayout,
    durability: ResolvedDurability,
    datasetUuid: string,
    private readonly images: readonly ZarrImageWriter[],
  ) {
    super(path, layout, durability, datasetUuid);
  }

  protected planeTarget(coordinates: PlaneCoordinates): string {
    return this.images[coordinates.position].directory;
  }

  protected writePlane(frame: Frame, coordinates: PlaneCoordinates, record: PlaneRecord): Promise<void> {
    return this.images[coordinates.position].writePlane(pixelBytes(frame), record);
  }

  protected async checkpoint(): Promise<void> {
    for (const each of this.images) await each.checkpoint();
  }

  protected finalize(ending: DatasetEnding): Promise<void> {
    return finalizeEach(
      this.images,
      (image) => image.directory,
      (image) => image.finalize(ending),
      (image) => image.close(),
    );
  }
}
