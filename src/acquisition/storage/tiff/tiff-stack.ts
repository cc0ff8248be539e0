import type { PixelArray } from '../../../hardware/devices';
import { bytesPerSample, type SampleType } from '../dataset-layout';
import { micrometers, parseOmeXml, type OmeMetadata } from '../ome-xml/read-ome-xml';
import { TiffFormatError, UnsupportedTiffError } from '../storage-errors';
import { COMPRESSION, TAG } from './tiff-constants';
import { newPlane, readPagePixels, readTiffPage, type TiffPage } from './tiff-page';
import { TiffSource } from './tiff-structure';

/** What a TIFF stack is, without its pixels. */
export interface TiffStackInfo {
  readonly path: string;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly planeCount: number;
  readonly sampleType: SampleType;
  /** From the OME-XML, the ImageJ description or a centimetre resolution; undefined when the file states none. */
  readonly pixelSizeUm?: number;
  readonly description?: string;
  /** Parsed OME-XML when the first page carries it. */
  readonly ome?: OmeMetadata;
}

/** A TIFF stack (classic or BigTIFF, from any software) opened for reading plane by plane. */
export interface TiffStack extends TiffStackInfo {
  readPlane(index: number): Promise<PixelArray>;
  planes(): AsyncIterable<PixelArray>;
  close(): Promise<void>;
}

/** Opens a stack without reading its pixels: stacks larger than memory are read one plane at a time. */
export async function openTiffStack(path: string): Promise<TiffStack> {
  const source = await TiffSource.open(path);
  try {
    const { ifds } = await source.walkIfds();
    if (ifds.length === 0) throw new TiffFormatError(`${path}: the file has no image (no valid IFD)`);
    const pages: TiffPage[] = [];
    for (let i = 0; i < ifds.length; i++) {
      const page = await readTiffPage(source, ifds[i], i);
      if (!page.reducedResolution) pages.push(page);
    }
    const first = pages[0];
    if (!first) throw new TiffFormatError(`${path}: only reduced-resolution pages`);
    const mismatch = pages.findIndex(
      (page) => page.widthPx !== first.widthPx || page.heightPx !== first.heightPx || page.sampleType !== first.sampleType,
    );
    if (mismatch >= 0) {
      throw new UnsupportedTiffError(
        `${path}: page ${mismatch} is ${pages[mismatch].widthPx}×${pages[mismatch].heightPx} ${pages[mismatch].sampleType}, page 0 ${first.widthPx}×${first.heightPx} ${first.sampleType}; a stack needs equal planes`,
      );
    }
    const description = await source.ascii(first.ifd, TAG.imageDescription);
    const ome = description && /<OME[\s>]/.test(description) ? tryParseOme(description, path) : undefined;
    const planeOffsets = imageJContiguousPlanes(source, first, pages.length, description);
    const pixelSizeUm = ome ? micrometers(ome.images[0]?.pixels.physicalSizeX) : await resolutionPixelSizeUm(source, first, description);
    return new FileTiffStack(source, pages, planeOffsets, description, ome, pixelSizeUm);
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** Reads every plane of a stack into memory. */
export async function readTiffStack(path: string): Promise<TiffStackInfo & { readonly planes: PixelArray[] }> {
  const stack = await openTiffStack(path);
  try {
    const planes: PixelArray[] = [];
    for await (const plane of stack.planes()) planes.push(plane);
    const { widthPx, heightPx, planeCount, sampleType, pixelSizeUm, description, ome } = stack;
    return { path, widthPx, heightPx, planeCount, sampleType, pixelSizeUm, description, ome, planes };
  } finally {
    await stack.close();
  }
}

class FileTiffStack implements TiffStack {
  constructor(
    private readonly source: TiffSource,
    private readonly pages: readonly TiffPage[],
    /** ImageJ's >4 GiB stacks: one IFD, planes stored back to back; else undefined. */
    private readonly contiguousPlaneOffsets: readonly number[] | undefined,
    readonly description: string | undefined,
    readonly ome: OmeMetadata | undefined,
    readonly pixelSizeUm: number | undefined,
  ) {}

  get path(): string {
    return this.source.path;
  }
  get widthPx(): number {
    return this.pages[0].widthPx;
  }
  get heightPx(): number {
    return this.pages[0].heightPx;
  }
  get sampleType(): SampleType {
    return this.pages[0].sampleType;
  }
  get planeCount(): number {
    return this.contiguousPlaneOffsets?.length ?? this.pages.length;
  }

  async readPlane(index: number): Promise<PixelArray> {
    if (!Number.isInteger(index) || index < 0 || index >= this.planeCount) {
      throw new RangeError(`${this.path}: plane ${index} does not exist (${this.planeCount} planes)`);
    }
    if (this.contiguousPlaneOffsets) {
      const plane = newPlane(this.sampleType, this.widthPx * this.heightPx);
      const bytes = new Uint8Array(plane.buffer);
      await this.source.readBytes(this.contiguousPlaneOffsets[index], bytes.byteLength, bytes);
      if (!this.source.littleEndian && this.sampleType !== 'uint8') {
        const view = Buffer.from(bytes.buffer);
        if (this.sampleType === 'uint16') view.swap16();
        else view.swap32();
      }
      return plane;
    }
    return readPagePixels(this.source, this.pages[index], index);
  }

  async *planes(): AsyncIterable<PixelArray> {
    for (let i = 0; i < this.planeCount; i++) yield await this.readPlane(i);
  }

  async close(): Promise<void> {
    await this.source.close();
  }
}

function tryParseOme(description: string, path: string): OmeMetadata | undefined {
  try {
    return parseOmeXml(description, path);
  } catch {
    return undefined; // broken OME-XML: still a readable TIFF stack
  }
}

function imageJContiguousPlanes(
  source: TiffSource,
  first: TiffPage,
  pageCount: number,
  description: string | undefined,
): number[] | undefined {
  const images = Number(/^images=(\d+)$/m.exec(description ?? '')?.[1]);
  if (!description?.startsWith('ImageJ=') || !(images > pageCount) || pageCount !== 1) return undefined;
  if (first.compression !== COMPRESSION.none || first.tiled) return undefined;
  const planeBytes = first.widthPx * first.heightPx * bytesPerSample(first.sampleType);
  const start = first.chunks.offsets[0];
  const available = Math.min(images, Math.floor((source.fileSize - start) / planeBytes));
  return Array.from({ length: available }, (_, i) => start + i * planeBytes);
}

const IMAGEJ_UNIT_UM: Record<string, number> = { micron: 1, um: 1, µm: 1, '\\u00B5m': 1, nm: 1e-3, mm: 1e3, cm: 1e4 };

async function resolutionPixelSizeUm(source: TiffSource, page: TiffPage, description: string | undefined): Promise<number | undefined> {
  const pixelsPerUnit = await source.firstNumber(page.ifd, TAG.xResolution);
  if (!pixelsPerUnit || !Number.isFinite(pixelsPerUnit)) return undefined;
  const imageJUnit = description?.startsWith('ImageJ=') ? /^unit=(.+)$/m.exec(description)?.[1]?.trim() : undefined;
  if (imageJUnit !== undefined) {
    const scale = IMAGEJ_UNIT_UM[imageJUnit];
    return scale === undefined ? undefined : scale / pixelsPerUnit;
  }
  // only centimetres say something physical; inch resolutions are nearly always a default 72 dpi
  const unit = await source.firstNumber(page.ifd, TAG.resolutionUnit);
  return unit === 3 ? 1e4 / pixelsPerUnit : undefined;
}
