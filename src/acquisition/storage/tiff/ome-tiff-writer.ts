import { randomUUID } from 'node:crypto';
import { access, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname } from 'node:path';
import type { Frame } from '../../frame';
import type { DatasetEnding } from '../dataset-state';
import { positionCount, validateLayout, type DatasetLayoutInput, type PlaneCoordinates } from '../dataset-layout';
import { resolveDurability } from '../durability';
import { storageError } from '../file-io';
import { pixelBytes, type FrameWriter, type WriterOptions } from '../frame-writer';
import type { PlaneRecord } from '../plane-record';
import { finalizeEach, SerialFrameWriter } from '../serial-frame-writer';
import { DatasetLayoutError } from '../storage-errors';
import { OmeTiffFile } from './ome-tiff-file';
import { xmlSlotBytes, type OmeTiffFileInfo } from './ome-tiff-info';
import { BIGTIFF_HEADER_BYTES } from './tiff-constants';

export interface OmeTiffWriter extends FrameWriter {
  /** The files written so far, in position order: one per position (`<name>_p000.ome.tif`, …) when the layout has several. */
  readonly files: readonly string[];
}

/**
 * Files of an OME-TIFF data set: the path itself for one position; `<stem>_pNNN<ext>` per position otherwise.
 * One file per position keeps each a plain single-Image OME-TIFF, which tifffile, Bio-Formats and ImageJ's
 * TIFF opener all read the same way, and a crash or full disk then damages at most the file being written.
 */
export function omeTiffPositionPath(path: string, position: number, positions: number): string {
  if (positions <= 1) return path;
  const match = /^(.*?)((\.ome)?\.tiff?)$/i.exec(path);
  const [stem, extension] = match ? [match[1], match[2]] : [path, '.ome.tif'];
  return `${stem}_p${String(position).padStart(3, '0')}${extension}`;
}

export async function openOmeTiffWriter(path: string, layoutInput: DatasetLayoutInput, options?: WriterOptions): Promise<OmeTiffWriter> {
  if (endianness() !== 'LE') throw new DatasetLayoutError('the OME-TIFF writer stores the host byte order and needs a little-endian host');
  const layout = validateLayout(layoutInput, path);
  const directory = dirname(path);
  try {
    if (!(await stat(directory)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw storageError(error, 'opening data set directory', directory);
  }
  const positions = positionCount(layout);
  for (let position = 0; position < positions; position++) {
    const filePath = omeTiffPositionPath(path, position, positions);
    const exists = await access(filePath).then(
      () => true,
      () => false,
    );
    if (exists)
      throw storageError(Object.assign(new Error('file exists; raw data is never overwritten'), { code: 'EEXIST' }), 'creating', filePath);
  }
  return new OmeTiffDatasetWriter(path, layout, resolveDurability(options), options?.datasetUuid ?? `urn:uuid:${randomUUID()}`);
}

class OmeTiffDatasetWriter extends SerialFrameWriter implements OmeTiffWriter {
  private readonly filesByPosition = new Map<number, OmeTiffFile>();

  get files(): readonly string[] {
    return [...this.filesByPosition.entries()].sort(([a], [b]) => a - b).map(([, file]) => file.path);
  }

  get location(): string {
    return positionCount(this.layout) > 1 ? dirname(this.path) : this.path;
  }

  protected planeTarget(coordinates: PlaneCoordinates): string {
    return omeTiffPositionPath(this.path, coordinates.position, positionCount(this.layout));
  }

  protected async writePlane(frame: Frame, coordinates: PlaneCoordinates, record: PlaneRecord): Promise<void> {
    let file = this.filesByPosition.get(coordinates.position);
    if (!file) {
      file = await OmeTiffFile.create(this.planeTarget(coordinates), this.fileInfo(coordinates.position, frame));
      this.filesByPosition.set(coordinates.position, file);
    }
    await file.appendPlane(pixelBytes(frame), record);
  }

  protected async checkpoint(): Promise<void> {
    for (const file of this.filesByPosition.values()) {
      await file.writeMetadata('acquiring');
      if (this.durability.fsync) await file.sync();
    }
  }

  /** Finalizes every file; a failed writer still gets its files finalized as far as the disk allows. */
  protected finalize(ending: DatasetEnding): Promise<void> {
    return finalizeEach(
      this.filesByPosition.values(),
      (file) => file.path,
      async (file) => {
        if (this.writeFailed) await file.dropUnlinkedTail();
        try {
          await file.fillBlankPlanes();
        } catch {
          // no room for blank planes (full disk): the file stays valid, the grid just has holes
          await file.dropUnlinkedTail();
        }
        await file.writeMetadata(ending.state, ending);
        if (this.durability.fsync) await file.sync();
      },
      (file) => file.close(),
    );
  }

  private fileInfo(position: number, frame: Frame): OmeTiffFileInfo {
    const slotBytes = xmlSlotBytes(this.layout);
    const positions = positionCount(this.layout);
    return {
      format: 'scope-controller/ome-tiff',
      version: 1,
      layout: this.layout,
      datasetUuid: this.datasetUuid,
      fileUuid: positions > 1 ? `urn:uuid:${randomUUID()}` : this.datasetUuid,
      position,
      positionName: this.layout.positionNames?.[position] ?? frame.meta.positionName,
      acquisitionStartMs: this.startWallTimeMs ?? frame.meta.wallTimeMs,
      xmlSlots: [
        { offset: BIGTIFF_HEADER_BYTES, bytes: slotBytes },
        { offset: BIGTIFF_HEADER_BYTES + slotBytes, bytes: slotBytes },
      ],
    };
  }
}

/** The files of a multi-position OME-TIFF data set found beside `path` (for recovery and offline tools). */
export const omeTiffPositionPattern = (path: string): RegExp => {
  const sample = basename(omeTiffPositionPath(path, 0, 2));
  const escaped = sample.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('_p000', '_p\\d{3,}');
  return new RegExp(`^${escaped}$`);
};
