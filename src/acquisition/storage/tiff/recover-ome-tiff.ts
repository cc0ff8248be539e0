import { isFinalized } from '../dataset-state';
import { parsePlaneRecord, type PlaneRecord } from '../plane-record';
import { parseOmeXml } from '../ome-xml/read-ome-xml';
import { SCOPE_ANNOTATION_NAMESPACE } from '../ome-xml/build-ome-xml';
import { NotADatasetError, TiffFormatError } from '../storage-errors';
import { align16 } from './bigtiff-ifd';
import { OmeTiffFile } from './ome-tiff-file';
import { parseFileInfo, type XmlSlot } from './ome-tiff-info';
import type { StoredPlane } from './plane-grid';
import { TAG, TYPE_SIZE } from './tiff-constants';
import { TiffSource, type RawIfd } from './tiff-structure';

export interface TiffFileRecovery {
  readonly path: string;
  /** Acquired planes in the file after recovery. */
  readonly planes: number;
  readonly blankPlanes: number;
  /** Bytes past the last valid plane that were cut (a torn or unlinked trailing write). */
  readonly droppedBytes: number;
  /** Why the IFD chain was cut, when it pointed at an invalid IFD. */
  readonly chainCut?: string;
  /** The file had been finalized already; nothing was changed. */
  readonly alreadyComplete: boolean;
}

/**
 * Finalizes an OME-TIFF file this module wrote and that was never closed (killed process, full disk, power cut):
 * cuts the chain before the first invalid IFD, drops bytes past the last valid plane, fills the grid with blank
 * planes and rewrites the OME-XML for the planes really present.
 */
export async function recoverOmeTiffFile(path: string): Promise<TiffFileRecovery> {
  const source = await TiffSource.open(path, 'r+');
  let handedOver = false;
  try {
    if (!source.bigTiff || !source.littleEndian)
      throw new NotADatasetError(`${path}: not a little-endian BigTIFF, so not written by this module`);
    const chain = await source.walkIfds();
    let chainCut = chain.broken?.reason;
    let cutPointer = chain.broken?.pointerOffset;
    if (chain.ifds.length === 0) {
      if (cutPointer !== undefined) await source.handle.write(Buffer.alloc(8), 0, 8, cutPointer);
      return { path, planes: 0, blankPlanes: 0, droppedBytes: 0, chainCut, alreadyComplete: false };
    }
    const infoText = await source.ascii(chain.ifds[0], TAG.datasetInfo).catch(() => undefined);
    const info = infoText ? parseFileInfo(infoText, path) : undefined;
    if (!info) throw new NotADatasetError(`${path}: the first IFD has no data set record; not an OME-TIFF written by this module`);
    const kept: { ifd: RawIfd; record: PlaneRecord; end: number }[] = [];
    for (const ifd of chain.ifds) {
      const checked = await checkPlaneIfd(source, ifd);
      if (typeof checked === 'string') {
        chainCut = `IFD ${kept.length} at offset ${ifd.offset}: ${checked}`;
        cutPointer = kept.length === 0 ? source.headerPointerOffset : kept[kept.length - 1].ifd.nextPointerOffset;
        break;
      }
      kept.push({ ifd, ...checked });
    }
    if (cutPointer !== undefined) await source.handle.write(Buffer.alloc(8), 0, 8, cutPointer);
    if (kept.length === 0) return { path, planes: 0, blankPlanes: 0, droppedBytes: 0, chainCut, alreadyComplete: false };

    const ifd0 = kept[0].ifd;
    const description = ifd0.entries.get(TAG.imageDescription);
    if (!description || description.valueOffset === undefined) throw new TiffFormatError(`${path}: IFD 0 has no OME-XML slot`);
    const current: XmlSlot = { offset: description.valueOffset, bytes: description.count };
    const [slotA, slotB] = info.xmlSlots;
    // alignment padding after the last value is ours too: only bytes past the next 16-byte boundary were dropped
    const end = Math.min(
      source.fileSize,
      align16(Math.max(...kept.map((plane) => plane.end), current.offset + current.bytes, slotB.offset + slotB.bytes)),
    );
    const droppedBytes = source.fileSize - end;
    const state = await currentState(source, ifd0);
    if (isFinalized(state) && droppedBytes === 0 && chainCut === undefined) {
      return {
        path,
        planes: kept.filter((p) => !p.record.blank).length,
        blankPlanes: kept.filter((p) => p.record.blank).length,
        droppedBytes: 0,
        alreadyComplete: true,
      };
    }
    if (droppedBytes > 0) await source.handle.truncate(end);
    const currentIndex = current.offset === slotA.offset ? 0 : current.offset === slotB.offset ? 1 : 0;
    const slots: [XmlSlot, XmlSlot] = currentIndex === 0 ? [current, slotB] : [slotA, current];
    const planes: StoredPlane[] = kept.map(({ record }, ifdIndex) => ({ ifdIndex, record }));
    const file = OmeTiffFile.resume(path, source.handle, info, {
      planes,
      nextPointerOffset: kept[kept.length - 1].ifd.nextPointerOffset,
      descriptionCountOffset: description.entryCountOffset,
      slots,
      currentSlot: currentIndex,
      endOffset: align16(end),
    });
    handedOver = true;
    try {
      await file.fillBlankPlanes();
      await file.writeMetadata('recovered');
      await file.sync();
      return { path, planes: file.planeCount, blankPlanes: file.blankPlaneCount, droppedBytes, chainCut, alreadyComplete: false };
    } finally {
      await file.close();
    }
  } finally {
    if (!handedOver) await source.close();
  }
}

/** A plane IFD is valid when its record parses and its pixels and values lie inside the file; else the reason. */
async function checkPlaneIfd(source: TiffSource, ifd: RawIfd): Promise<{ record: PlaneRecord; end: number } | string> {
  try {
    const text = await source.ascii(ifd, TAG.planeRecord);
    const record = text ? parsePlaneRecord(text) : undefined;
    if (!record) return 'no valid plane record';
    const offset = await source.firstNumber(ifd, TAG.stripOffsets);
    const bytes = await source.firstNumber(ifd, TAG.stripByteCounts);
    if (offset === undefined || bytes === undefined || offset + bytes > source.fileSize) return 'pixel data outside the file';
    let end = Math.max(ifd.tableEnd, offset + bytes);
    for (const entry of ifd.entries.values()) {
      if (entry.valueOffset === undefined || entry.tag === TAG.imageDescription) continue;
      end = Math.max(end, entry.valueOffset + (TYPE_SIZE[entry.type] ?? 1) * entry.count);
    }
    if (end > source.fileSize) return 'tag values outside the file';
    return { record, end };
  } catch (error) {
    if (error instanceof TiffFormatError) return error.message;
    throw error;
  }
}

async function currentState(source: TiffSource, ifd0: RawIfd): Promise<string | undefined> {
  try {
    const xml = await source.ascii(ifd0, TAG.imageDescription);
    const metadata = xml ? parseOmeXml(xml, source.path) : undefined;
    return metadata?.mapAnnotations.find((annotation) => annotation.namespace === SCOPE_ANNOTATION_NAMESPACE)?.values.state;
  } catch {
    return undefined;
  }
}
