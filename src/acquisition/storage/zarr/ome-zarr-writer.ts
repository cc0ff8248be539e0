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
import { OmeZarrImage } from './ome-zarr-image';
import { writeJsonAtomic } from './zarr-files';

/**
 * Opens an OME-Zarr (NGFF 0.4, zarr v2) data set. One position: the store itself is the image. Several: the
 * bioformats2raw layout NGFF 0.4 describes, one image group per position ("0", "1", …) listed in OME/.zattrs.
 * zarr v2 metadata is a few JSON files, written here directly: zarrita (the maintained JavaScript zarr) creates
 * only zarr v3 arrays and is ESM-only.
 */
export async function openOmeZarrWriter(path: string, layoutInput: DatasetLayoutInput, options?: WriterOptions): Promise<FrameWriter> {
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
  const images: OmeZarrImage[] = [];
  try {
    await mkdir(path);
    for (let position = 0; position < positions; position++) {
      const positionName = layout.positionNames?.[position];
      const identity = { datasetUuid, position, positionName, acquisitionId: layout.acquisitionId, derivedFrom: layout.derivedFrom };
      const directory = positions > 1 ? join(path, String(position)) : path;
      const imageName = positions > 1 ? `${name} ${positionName ?? `position ${position}`}` : name;
      images.push(await OmeZarrImage.create(directory, imageName, layout, identity, durability.fsync));
    }
    if (positions > 1) {
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
    private readonly images: readonly OmeZarrImage[],
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
