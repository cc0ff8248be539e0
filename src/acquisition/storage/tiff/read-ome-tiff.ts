import { basename } from 'node:path';
import type { PixelArray } from '../../../hardware/devices';
import type { SampleType } from '../dataset-layout';
import { parseOmeXml, type OmeMetadata, type OmePixels } from '../ome-xml/read-ome-xml';
import { parsePlaneRecord, type PlaneRecord } from '../plane-record';
import { OmeXmlError, TiffFormatError } from '../storage-errors';
import { parseFileInfo, type OmeTiffFileInfo } from './ome-tiff-info';
import { TAG } from './tiff-constants';
import { readPagePixels, readTiffPage } from './tiff-page';
import { TiffSource } from './tiff-structure';

export interface OmeTiffPlane {
  readonly image: number;
  readonly t: number;
  readonly c: number;
  readonly z: number;
  readonly ifdIndex: number;
  readonly pixels: PixelArray;
  /** Our per-plane record (frame metadata), for files this module wrote. */
  readonly record?: PlaneRecord;
  /** A filler plane written at finalize where no frame was acquired. */
  readonly blank: boolean;
  /** False for planes written after the last checkpoint of a file that was never finalized. */
  readonly listedInXml: boolean;
}

export interface OmeTiffContents {
  readonly path: string;
  readonly xml: string;
  readonly metadata: OmeMetadata;
  readonly sampleType: SampleType;
  /** Layout and identity, for files this module wrote. */
  readonly datasetInfo?: OmeTiffFileInfo;
  /** Every plane, in IFD order. */
  readonly planes: readonly OmeTiffPlane[];
  plane(t: number, c: number, z: number, image?: number): OmeTiffPlane | undefined;
}

/**
 * Reads a single-file OME-TIFF with its metadata, pixel-exact. Planes are placed by the OME TiffData elements;
 * planes the XML does not list yet (a file cut short before finalize) are placed by our per-plane records.
 */
export async function readOmeTiff(path: string): Promise<OmeTiffContents> {
  const source = await TiffSource.open(path);
  try {
    const { ifds } = await source.walkIfds();
    if (ifds.length === 0) throw new TiffFormatError(`${path}: the file has no image (no valid IFD)`);
    const xml = await source.ascii(ifds[0], TAG.imageDescription);
    if (!xml || !/<OME[\s>]/.test(xml)) throw new OmeXmlError(`${path}: the first IFD carries no OME-XML; not an OME-TIFF`);
    const metadata = parseOmeXml(xml, path);
    const infoText = await source.ascii(ifds[0], TAG.datasetInfo);
    const datasetInfo = infoText ? parseFileInfo(infoText, path) : undefined;
    const placed = new Map<number, { image: number; t: number; c: number; z: number; listedInXml: boolean }>();
    metadata.images.forEach((image, imageIndex) => {
      for (const [ifdIndex, cell] of placeTiffData(image.pixels, ifds.length, basename(path))) {
        placed.set(ifdIndex, { image: imageIndex, ...cell, listedInXml: true });
      }
    });
    const planes: OmeTiffPlane[] = [];
    for (let ifdIndex = 0; ifdIndex < ifds.length; ifdIndex++) {
      const recordText = await source.ascii(ifds[ifdIndex], TAG.planeRecord);
      const record = recordText ? parsePlaneRecord(recordText) : undefined;
      const where = placed.get(ifdIndex) ?? (record ? { image: 0, t: record.t, c: record.c, z: record.z, listedInXml: false } : undefined);
      if (!where) continue;
      const page = await readTiffPage(source, ifds[ifdIndex], ifdIndex);
      const pixels = await readPagePixels(source, page, ifdIndex);
      planes.push({ ...where, ifdIndex, pixels, record: record?.blank ? undefined : record, blank: record?.blank === true });
    }
    const firstPage = await readTiffPage(source, ifds[0], 0);
    return {
      path,
      xml,
      metadata,
      sampleType: firstPage.sampleType,
      datasetInfo,
      planes,
      plane: (t, c, z, image = 0) =>
        // the last stored plane of a cell wins, as in the writer (a re-acquired plane replaces the earlier one)
        [...planes].reverse().find((p) => p.image === image && p.t === t && p.c === c && p.z === z),
    };
  } finally {
    await source.close();
  }
}

/** IFD index → plane coordinates from an image's TiffData elements (those naming another file are skipped). */
function placeTiffData(pixels: OmePixels, ifdCount: number, fileName: string): Map<number, { t: number; c: number; z: number }> {
  const sizes = { z: pixels.sizeZ, c: pixels.sizeC, t: pixels.sizeT };
  const axes = pixels.dimensionOrder.slice(2).toLowerCase().split('') as ('z' | 'c' | 't')[];
  const total = sizes.z * sizes.c * sizes.t;
  const placed = new Map<number, { t: number; c: number; z: number }>();
  for (const entry of pixels.tiffData) {
    if (entry.fileName !== undefined && basename(entry.fileName) !== fileName) continue;
    const first: Record<'z' | 'c' | 't', number> = { z: entry.firstZ, c: entry.firstC, t: entry.firstT };
    let linear = 0;
    for (let i = axes.length - 1; i >= 0; i--) linear = linear * sizes[axes[i]] + first[axes[i]];
    const count = entry.planeCount ?? Math.min(ifdCount - entry.ifd, total - linear);
    for (let q = 0; q < count && entry.ifd + q < ifdCount && linear + q < total; q++) {
      let rest = linear + q;
      const cell = { z: 0, c: 0, t: 0 };
      for (const axis of axes) {
        cell[axis] = rest % sizes[axis];
        rest = Math.floor(rest / sizes[axis]);
      }
      placed.set(entry.ifd + q, cell);
    }
  }
  return placed;
}
