import type { DerivedFromLink } from '../dataset-layout';
import { OmeXmlError } from '../storage-errors';
import { SCOPE_ANNOTATION_NAMESPACE } from './build-ome-xml';
import { childNamed, childrenNamed, parseXml, type XmlElement } from './parse-xml';

/** A value with the unit the file states (or the schema's default unit when it states none). */
export interface Quantity {
  readonly value: number;
  readonly unit: string;
}

export interface OmePlane {
  readonly theT: number;
  readonly theC: number;
  readonly theZ: number;
  readonly deltaT?: Quantity;
  readonly exposureTime?: Quantity;
  readonly positionX?: Quantity;
  readonly positionY?: Quantity;
  readonly positionZ?: Quantity;
}

export interface OmeTiffDataEntry {
  readonly ifd: number;
  /** Undefined when the element gives none: then the run goes on to the end of the file's IFDs. */
  readonly planeCount?: number;
  readonly firstT: number;
  readonly firstC: number;
  readonly firstZ: number;
  /** File named by a UUID child (multi-file OME-TIFF); undefined for this file. */
  readonly fileName?: string;
}

export interface OmePixels {
  readonly dimensionOrder: string;
  readonly type: string;
  readonly sizeX: number;
  readonly sizeY: number;
  readonly sizeZ: number;
  readonly sizeC: number;
  readonly sizeT: number;
  readonly significantBits?: number;
  readonly physicalSizeX?: Quantity;
  readonly physicalSizeY?: Quantity;
  readonly physicalSizeZ?: Quantity;
  readonly timeIncrement?: Quantity;
  readonly channels: readonly { readonly id: string; readonly name?: string }[];
  readonly tiffData: readonly OmeTiffDataEntry[];
  readonly planes: readonly OmePlane[];
}

export interface OmeImage {
  readonly id: string;
  readonly name?: string;
  readonly acquisitionDate?: string;
  readonly description?: string;
  readonly pixels: OmePixels;
}

export interface OmeMapAnnotation {
  readonly id: string;
  readonly namespace?: string;
  readonly values: Readonly<Record<string, string>>;
}

export interface OmeMetadata {
  readonly uuid?: string;
  readonly creator?: string;
  readonly images: readonly OmeImage[];
  readonly mapAnnotations: readonly OmeMapAnnotation[];
  /** From our MapAnnotation: the data set's own UUID and, for processed data, the raw data set it came from. */
  readonly datasetUuid?: string;
  readonly derivedFrom?: DerivedFromLink;
}

const DIMENSION_ORDERS = new Set(['XYZCT', 'XYZTC', 'XYCTZ', 'XYCZT', 'XYTCZ', 'XYTZC']);

export function parseOmeXml(xml: string, where: string): OmeMetadata {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    throw new OmeXmlError(`${where}: OME-XML does not parse: ${(error as Error).message}`);
  }
  if (root.name !== 'OME') throw new OmeXmlError(`${where}: root element is <${root.name}>, not <OME>`);
  const images = childrenNamed(root, 'Image').map((image, index) => readImage(image, `${where} Image ${index}`));
  const annotations = childNamed(root, 'StructuredAnnotations');
  const mapAnnotations = annotations ? childrenNamed(annotations, 'MapAnnotation').map(readMapAnnotation) : [];
  const ours = mapAnnotations.find((annotation) => annotation.namespace === SCOPE_ANNOTATION_NAMESPACE)?.values;
  const derivedPath = ours?.['derivedFrom.path'];
  const derivedUuid = ours?.['derivedFrom.uuid'];
  return {
    uuid: root.attributes.UUID,
    creator: root.attributes.Creator,
    images,
    mapAnnotations,
    datasetUuid: ours?.datasetUuid,
    derivedFrom: derivedPath && derivedUuid ? { path: derivedPath, uuid: derivedUuid } : undefined,
  };
}

function readImage(image: XmlElement, where: string): OmeImage {
  const pixels = childNamed(image, 'Pixels');
  if (!pixels) throw new OmeXmlError(`${where}: no Pixels element`);
  const a = pixels.attributes;
  const size = (name: string): number => {
    const value = Number(a[name]);
    if (!Number.isInteger(value) || value < 1)
      throw new OmeXmlError(`${where}: Pixels ${name}="${a[name] ?? ''}" is not a positive integer`);
    return value;
  };
  const dimensionOrder = a.DimensionOrder ?? '';
  if (!DIMENSION_ORDERS.has(dimensionOrder)) throw new OmeXmlError(`${where}: DimensionOrder "${dimensionOrder}" is not an OME order`);
  if (!a.Type) throw new OmeXmlError(`${where}: Pixels has no Type`);
  return {
    id: image.attributes.ID ?? '',
    name: image.attributes.Name,
    acquisitionDate: childNamed(image, 'AcquisitionDate')?.text.trim(),
    description: childNamed(image, 'Description')?.text,
    pixels: {
      dimensionOrder,
      type: a.Type,
      sizeX: size('SizeX'),
      sizeY: size('SizeY'),
      sizeZ: size('SizeZ'),
      sizeC: size('SizeC'),
      sizeT: size('SizeT'),
      significantBits: optionalNumber(a.SignificantBits),
      physicalSizeX: quantity(a, 'PhysicalSizeX', 'µm'),
      physicalSizeY: quantity(a, 'PhysicalSizeY', 'µm'),
      physicalSizeZ: quantity(a, 'PhysicalSizeZ', 'µm'),
      timeIncrement: quantity(a, 'TimeIncrement', 's'),
      channels: childrenNamed(pixels, 'Channel').map((channel) => ({ id: channel.attributes.ID ?? '', name: channel.attributes.Name })),
      tiffData: childrenNamed(pixels, 'TiffData').map(readTiffData),
      planes: childrenNamed(pixels, 'Plane').map(readPlane),
    },
  };
}

function readTiffData(element: XmlElement): OmeTiffDataEntry {
  const a = element.attributes;
  const uuid = childNamed(element, 'UUID');
  return {
    ifd: optionalNumber(a.IFD) ?? 0,
    planeCount: optionalNumber(a.PlaneCount) ?? (a.IFD !== undefined ? 1 : undefined),
    firstT: optionalNumber(a.FirstT) ?? 0,
    firstC: optionalNumber(a.FirstC) ?? 0,
    firstZ: optionalNumber(a.FirstZ) ?? 0,
    fileName: uuid?.attributes.FileName,
  };
}

function readPlane(element: XmlElement): OmePlane {
  const a = element.attributes;
  return {
    theT: optionalNumber(a.TheT) ?? 0,
    theC: optionalNumber(a.TheC) ?? 0,
    theZ: optionalNumber(a.TheZ) ?? 0,
    deltaT: quantity(a, 'DeltaT', 's'),
    exposureTime: quantity(a, 'ExposureTime', 's'),
    positionX: quantity(a, 'PositionX', 'reference frame'),
    positionY: quantity(a, 'PositionY', 'reference frame'),
    positionZ: quantity(a, 'PositionZ', 'reference frame'),
  };
}

function readMapAnnotation(element: XmlElement): OmeMapAnnotation {
  const values: Record<string, string> = {};
  for (const entry of childrenNamed(childNamed(element, 'Value') ?? element, 'M')) {
    if (entry.attributes.K !== undefined) values[entry.attributes.K] = entry.text;
  }
  return { id: element.attributes.ID ?? '', namespace: element.attributes.Namespace, values };
}

function optionalNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function quantity(attributes: Readonly<Record<string, string>>, name: string, defaultUnit: string): Quantity | undefined {
  const value = optionalNumber(attributes[name]);
  return value === undefined ? undefined : { value, unit: attributes[`${name}Unit`] ?? defaultUnit };
}

const MICROMETERS_PER: Record<string, number> = { m: 1e6, cm: 1e4, mm: 1e3, µm: 1, μm: 1, um: 1, micron: 1, nm: 1e-3, pm: 1e-6, Å: 1e-4 };
const MILLISECONDS_PER: Record<string, number> = { s: 1e3, ms: 1, µs: 1e-3, μs: 1e-3, ns: 1e-6, min: 60e3, h: 3600e3 };

/** A length in micrometres; undefined for units that are not lengths ("pixel", "reference frame"). */
export const micrometers = (q: Quantity | undefined): number | undefined =>
  q && MICROMETERS_PER[q.unit] !== undefined ? q.value * MICROMETERS_PER[q.unit] : undefined;

export const milliseconds = (q: Quantity | undefined): number | undefined =>
  q && MILLISECONDS_PER[q.unit] !== undefined ? q.value * MILLISECONDS_PER[q.unit] : undefined;
