import { open, type FileHandle } from 'node:fs/promises';
import { bytesPerSample, dimensionOrderFor } from '../dataset-layout';
import { writeFully } from '../file-io';
import { planeElement } from '../ome-xml/build-ome-xml';
import { serializePlaneRecord, type PlaneRecord } from '../plane-record';
import { align16, align8, encodeBigTiffIfd, type IfdEntry } from './bigtiff-ifd';
import { missingCells, planesInUse, writtenSizes, type StoredPlane } from './plane-grid';
import type { DatasetState, EndingNotes } from '../dataset-state';
import { omeXmlFor, serializeFileInfo, type OmeTiffFileInfo, type XmlSlot } from './ome-tiff-info';
import { BIGTIFF_HEADER_BYTES, TAG, TYPE } from './tiff-constants';

/** PageName of the zero planes that complete the grid where nothing was acquired. */
export const BLANK_PAGE_NAME = 'blank: not acquired';

/** Where an existing file stands, as `reopenOmeTiffFile` finds it on disk. */
export interface OmeTiffFileState {
  readonly planes: StoredPlane[];
  /** Offset of the next-IFD pointer to patch when linking the next IFD (8: the header's first-IFD offset). */
  readonly nextPointerOffset: number;
  /** Offset of IFD 0's ImageDescription count field (its offset field follows); undefined before the first plane. */
  readonly descriptionCountOffset?: number;
  readonly slots: [XmlSlot, XmlSlot];
  readonly currentSlot: number | undefined;
  readonly endOffset: number;
}

/**
 * One BigTIFF OME-TIFF file, appended plane by plane. Each plane is written as pixels then its IFD, and only then
 * linked from the previous IFD, so the chain on disk is valid at every instant. The OME-XML lives in one of two
 * reserved slots; a new version goes to the other slot and IFD 0's ImageDescription is repointed with one 16-byte
 * write, so readers always find a complete XML.
 */
export class OmeTiffFile {
  private readonly planes: StoredPlane[];
  private nextPointerOffset: number;
  private descriptionCountOffset?: number;
  private readonly slots: [XmlSlot, XmlSlot];
  private currentSlot: number | undefined;
  private endOffset: number;
  private xmlCurrent = false;
  private readonly planeBytes: number;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly info: OmeTiffFileInfo,
    state: OmeTiffFileState,
  ) {
    this.planes = state.planes;
    this.nextPointerOffset = state.nextPointerOffset;
    this.descriptionCountOffset = state.descriptionCountOffset;
    this.slots = state.slots;
    this.currentSlot = state.currentSlot;
    this.endOffset = state.endOffset;
    this.planeBytes = info.layout.widthPx * info.layout.heightPx * bytesPerSample(info.layout.dtype);
  }

  /** Creates the file (refusing to overwrite one) with its header; the reserved XML slots follow it. */
  static async create(path: string, info: OmeTiffFileInfo): Promise<OmeTiffFile> {
    const handle = await open(path, 'wx+');
    try {
      const header = Buffer.alloc(BIGTIFF_HEADER_BYTES);
      header.write('II', 0, 'latin1');
      header.writeUInt16LE(43, 2);
      header.writeUInt16LE(8, 4);
      const [, second] = info.xmlSlots;
      // the slots are written now, not left as holes: rewriting the XML then never needs new space on a full disk
      await writeFully(handle, [header, Buffer.alloc(second.offset + second.bytes - BIGTIFF_HEADER_BYTES)], 0);
      return new OmeTiffFile(path, handle, info, {
        planes: [],
        nextPointerOffset: 8,
        slots: [...info.xmlSlots],
        currentSlot: undefined,
        endOffset: second.offset + second.bytes,
      });
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** Wraps a file found on disk (recovery), open for read-write. */
  static resume(path: string, handle: FileHandle, info: OmeTiffFileInfo, state: OmeTiffFileState): OmeTiffFile {
    return new OmeTiffFile(path, handle, info, state);
  }

  get planeCount(): number {
    return this.planes.filter((plane) => !plane.record.blank).length;
  }

  get blankPlaneCount(): number {
    return this.planes.length - this.planeCount;
  }

  /** Appends one plane: pixels and IFD in one write, then the link that makes it part of the file. */
  async appendPlane(pixels: Uint8Array, record: PlaneRecord): Promise<void> {
    const first = this.planes.length === 0;
    const firstOnly: IfdEntry[] = [];
    let slot: { index: number; slot: XmlSlot; bytes: number } | undefined;
    if (first) {
      // IFD 0 must point at an XML that already lists plane 0, so the file is an OME-TIFF from its first plane on
      slot = await this.writeXmlToFreeSlot([{ ifdIndex: 0, record }], 'acquiring');
      firstOnly.push({ tag: TAG.imageDescription, type: TYPE.ascii, values: { count: slot.bytes, offset: slot.slot.offset } });
      firstOnly.push({ tag: TAG.datasetInfo, type: TYPE.ascii, values: serializeFileInfo(this.info) });
    }
    const dataOffset = this.endOffset;
    const ifdOffset = align8(dataOffset + pixels.byteLength);
    const ifd = encodeBigTiffIfd([...this.planeEntries(dataOffset, record), ...firstOnly], ifdOffset);
    await writeFully(this.handle, [pixels, Buffer.alloc(ifdOffset - dataOffset - pixels.byteLength), ifd.bytes], dataOffset);
    await this.link(ifdOffset);
    if (slot) {
      this.descriptionCountOffset = ifd.entryCountOffsets.get(TAG.imageDescription);
      this.currentSlot = slot.index;
    }
    this.nextPointerOffset = ifd.nextPointerOffset;
    this.endOffset = align16(ifdOffset + ifd.bytes.byteLength);
    this.planes.push(heldInMemory(this.planes.length, record, first));
    this.xmlCurrent = first;
  }

  /** Rewrites the OME-XML for the planes written so far (a checkpoint, or the final version with how it ended). */
  async writeMetadata(state: DatasetState, notes?: EndingNotes): Promise<void> {
    if (this.descriptionCountOffset === undefined || (this.xmlCurrent && state === 'acquiring')) return;
    const { index, slot, bytes } = await this.writeXmlToFreeSlot(this.planes, state, notes);
    const pointer = Buffer.alloc(16);
    pointer.writeBigUInt64LE(BigInt(bytes), 0);
    pointer.writeBigUInt64LE(BigInt(slot.offset), 8);
    await writeFully(this.handle, [pointer], this.descriptionCountOffset);
    this.currentSlot = index;
    this.xmlCurrent = state === 'acquiring';
  }

  /**
   * Adds blank planes (sharing one zero strip) for grid cells nothing was written to, so the file describes a full
   * T×C×Z grid: Bio-Formats falls back to a flat page list when an OME-TIFF lacks planes. Returns how many.
   */
  async fillBlankPlanes(): Promise<number> {
    const inUse = planesInUse(this.planes);
    const cells = missingCells(inUse, writtenSizes(inUse), dimensionOrderFor(this.info.layout));
    if (inUse.length === 0 || cells.length === 0) return 0;
    const stripOffset = this.endOffset;
    const buffers: Uint8Array[] = [Buffer.alloc(this.planeBytes)];
    let at = align8(stripOffset + this.planeBytes);
    buffers.push(Buffer.alloc(at - stripOffset - this.planeBytes));
    const records: PlaneRecord[] = cells.map((cell) => ({ ...cell, position: this.info.position, deltaTMs: 0, blank: true }));
    let lastNextPointer = 0;
    const firstIfd = at;
    records.forEach((record, i) => {
      const entries = this.planeEntries(stripOffset, record);
      const size = encodeBigTiffIfd(entries, at).bytes.byteLength;
      const next = i === records.length - 1 ? 0 : align8(at + size);
      const ifd = encodeBigTiffIfd(entries, at, next);
      buffers.push(ifd.bytes, Buffer.alloc(align8(at + size) - at - size));
      lastNextPointer = ifd.nextPointerOffset;
      at = align8(at + size);
    });
    await writeFully(this.handle, buffers, stripOffset);
    await this.link(firstIfd);
    this.nextPointerOffset = lastNextPointer;
    this.endOffset = align16(at);
    for (const record of records) this.planes.push({ ifdIndex: this.planes.length, record });
    return records.length;
  }

  /** Cuts bytes a failed write left past the last linked plane (they are not part of the file). */
  async dropUnlinkedTail(): Promise<void> {
    await this.handle.truncate(this.endOffset);
  }

  async sync(): Promise<void> {
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async link(ifdOffset: number): Promise<void> {
    const pointer = Buffer.alloc(8);
    pointer.writeBigUInt64LE(BigInt(ifdOffset));
    await writeFully(this.handle, [pointer], this.nextPointerOffset);
  }

  /**
   * Writes the XML into the slot not in use (relocating to the end of the file when it has outgrown the slots).
   * Only the XML's own bytes are written (the ImageDescription's count says how many), not the whole slot: a slot
   * sized for the planned planes is megabytes, and rewriting it at every checkpoint cost as much disk as the frames.
   * The caller marks it current once the pointer to it is written.
   */
  private async writeXmlToFreeSlot(
    planes: readonly StoredPlane[],
    state: DatasetState,
    notes?: EndingNotes,
  ): Promise<{ index: number; slot: XmlSlot; bytes: number }> {
    const xml = omeXmlFor(this.path, this.info, planes, state, notes);
    const index = this.currentSlot === 0 ? 1 : 0;
    const reserved = this.slots[index];
    const slot = xml.length + 1 > reserved.bytes ? { offset: this.endOffset, bytes: align16(Math.ceil((xml.length + 1) * 1.5)) } : reserved;
    await writeFully(this.handle, [Buffer.from(`${xml}\0`, 'latin1')], slot.offset);
    if (slot !== reserved) {
      this.slots[index] = slot;
      this.endOffset = slot.offset + slot.bytes;
    }
    return { index, slot, bytes: xml.length + 1 };
  }

  private planeEntries(stripOffset: number, record: PlaneRecord): IfdEntry[] {
    const { layout } = this.info;
    const bits = bytesPerSample(layout.dtype) * 8;
    const pixelsPerCm = 1e4 / layout.pixelSizeUm;
    const denominator = pixelsPerCm * 1000 < 2 ** 32 ? 1000 : 1;
    const resolution = [Math.min(Math.round(pixelsPerCm * denominator), 2 ** 32 - 1), denominator];
    return [
      { tag: TAG.newSubfileType, type: TYPE.long, values: [0] },
      { tag: TAG.imageWidth, type: TYPE.long, values: [layout.widthPx] },
      { tag: TAG.imageLength, type: TYPE.long, values: [layout.heightPx] },
      { tag: TAG.bitsPerSample, type: TYPE.short, values: [bits] },
      { tag: TAG.compression, type: TYPE.short, values: [1] },
      { tag: TAG.photometric, type: TYPE.short, values: [1] },
      { tag: TAG.stripOffsets, type: TYPE.long8, values: [stripOffset] },
      { tag: TAG.samplesPerPixel, type: TYPE.short, values: [1] },
      { tag: TAG.rowsPerStrip, type: TYPE.long, values: [layout.heightPx] },
      { tag: TAG.stripByteCounts, type: TYPE.long8, values: [this.planeBytes] },
      { tag: TAG.xResolution, type: TYPE.rational, values: resolution },
      { tag: TAG.yResolution, type: TYPE.rational, values: resolution },
      { tag: TAG.planarConfiguration, type: TYPE.short, values: [1] },
      { tag: TAG.resolutionUnit, type: TYPE.short, values: [3] },
      { tag: TAG.sampleFormat, type: TYPE.short, values: [layout.dtype === 'float32' ? 3 : 1] },
      { tag: TAG.planeRecord, type: TYPE.ascii, values: serializePlaneRecord(record) },
      // a reader that sees only pages (ImageJ, tifffile's page list) can still tell a filler from a dark frame
      ...(record.blank ? [{ tag: TAG.pageName, type: TYPE.ascii, values: BLANK_PAGE_NAME }] : []),
    ];
  }
}

/**
 * What stays in memory of a plane once its IFD holds its record whole: for the first plane, the record without the
 * device's tags (the OME-XML names the position and the planned stage from it); for every later one, its place
 * and its rendered OME Plane element. Micro-Manager's system state alone is about 7 KB a frame, the rest of the
 * metadata about 1 KB: a long run's memory does not grow with them.
 */
function heldInMemory(ifdIndex: number, record: PlaneRecord, firstAcquired: boolean): StoredPlane {
  if (firstAcquired) {
    if (!record.meta?.tags) return { ifdIndex, record };
    const { tags: _tags, ...meta } = record.meta;
    return { ifdIndex, record: { ...record, meta } };
  }
  const { t, c, z, position, deltaTMs } = record;
  return { ifdIndex, record: { t, c, z, position, deltaTMs, ...(record.blank ? { blank: true } : {}) }, planeXml: planeElement(record) };
}
