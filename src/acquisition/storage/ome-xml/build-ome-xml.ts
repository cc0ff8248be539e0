import type { SampleType } from '../dataset-layout';
import type { PlaneRecord } from '../plane-record';
import { omeColor } from '../channel-colors';

export const OME_NAMESPACE = 'http://www.openmicroscopy.org/Schemas/OME/2016-06';
/** Namespace of our MapAnnotation (data set identity, acquisition, link to the raw data a processed set came from). */
export const SCOPE_ANNOTATION_NAMESPACE = 'urn:scope-controller:dataset';
const MICROMETER = '&#181;m'; // "µm", kept ASCII: TIFF ASCII tags are 7-bit

/** A run of consecutive IFDs holding consecutive planes in DimensionOrder (one OME TiffData element). */
export interface TiffDataRun {
  readonly ifd: number;
  readonly planeCount: number;
  readonly firstT: number;
  readonly firstC: number;
  readonly firstZ: number;
}

export interface OmeImageModel {
  readonly uuid: string;
  readonly imageName: string;
  readonly acquisitionDateMs?: number;
  readonly description?: string;
  readonly dimensionOrder: string;
  readonly pixelType: SampleType;
  readonly significantBits?: number;
  readonly sizes: { readonly x: number; readonly y: number; readonly z: number; readonly c: number; readonly t: number };
  readonly pixelSizeUm: number;
  readonly zStepUm?: number;
  readonly timeIncrementMs?: number;
  readonly channelNames: readonly string[];
  /** RRGGBB per channel. */
  readonly channelColors: readonly string[];
  readonly stageLabel?: { readonly name: string; readonly xUm?: number; readonly yUm?: number; readonly zUm?: number };
  readonly tiffData: readonly TiffDataRun[];
  /** Plane elements, rendered once per plane by `planeElement` (a checkpoint then only joins strings). */
  readonly planeElements: readonly string[];
  readonly annotation: Readonly<Record<string, string>>;
}

/** Escapes text for an XML attribute or element, as 7-bit ASCII (other characters as numeric references). */
export function xmlText(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '&') out += '&amp;';
    else if (char === '<') out += '&lt;';
    else if (char === '>') out += '&gt;';
    else if (char === '"') out += '&quot;';
    else if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d)
      continue; // not allowed in XML 1.0
    else if (code > 0x7e) out += `&#${code};`;
    else out += char;
  }
  return out;
}

const attr = (name: string, value: string | number | undefined): string =>
  value === undefined || (typeof value === 'number' && !Number.isFinite(value))
    ? ''
    : ` ${name}="${typeof value === 'number' ? String(value) : xmlText(value)}"`;

const OME_PIXEL_TYPE: Record<SampleType, string> = { uint8: 'uint8', uint16: 'uint16', float32: 'float' };

/** One OME Plane element for a written plane (blank filler planes get none: nothing was acquired there). */
export function planeElement(record: PlaneRecord): string {
  const meta = record.meta;
  return (
    `<Plane${attr('TheZ', record.z)}${attr('TheT', record.t)}${attr('TheC', record.c)}` +
    `${attr('DeltaT', record.deltaTMs)} DeltaTUnit="ms"` +
    (meta ? `${attr('ExposureTime', meta.exposureMs)} ExposureTimeUnit="ms"` : '') +
    (meta?.stage.xUm !== undefined ? `${attr('PositionX', meta.stage.xUm)} PositionXUnit="${MICROMETER}"` : '') +
    (meta?.stage.yUm !== undefined ? `${attr('PositionY', meta.stage.yUm)} PositionYUnit="${MICROMETER}"` : '') +
    (meta?.stage.zUm !== undefined ? `${attr('PositionZ', meta.stage.zUm)} PositionZUnit="${MICROMETER}"` : '') +
    '/>'
  );
}

/** OME-XML (2016-06) for one Image stored in one TIFF file. */
export function buildOmeXml(model: OmeImageModel): string {
  const { sizes } = model;
  const channels = model.channelNames
    .map(
      (name, c) =>
        `<Channel ID="Channel:0:${c}"${attr('Name', name)}${attr('Color', omeColor(model.channelColors[c]))} SamplesPerPixel="1"/>`,
    )
    .join('');
  const tiffData =
    model.tiffData.length === 0
      ? '<MetadataOnly/>'
      : model.tiffData
          .map(
            (run) =>
              `<TiffData${attr('IFD', run.ifd)}${attr('PlaneCount', run.planeCount)}${attr('FirstT', run.firstT)}${attr('FirstC', run.firstC)}${attr('FirstZ', run.firstZ)}/>`,
          )
          .join('');
  const stage = model.stageLabel;
  const stageLabel = stage
    ? `<StageLabel${attr('Name', stage.name)}` +
      (stage.xUm !== undefined ? `${attr('X', stage.xUm)} XUnit="${MICROMETER}"` : '') +
      (stage.yUm !== undefined ? `${attr('Y', stage.yUm)} YUnit="${MICROMETER}"` : '') +
      (stage.zUm !== undefined ? `${attr('Z', stage.zUm)} ZUnit="${MICROMETER}"` : '') +
      '/>'
    : '';
  const entries = Object.entries(model.annotation);
  const annotationRef = entries.length > 0 ? '<AnnotationRef ID="Annotation:0"/>' : '';
  const annotations =
    entries.length > 0
      ? `<StructuredAnnotations><MapAnnotation ID="Annotation:0" Namespace="${SCOPE_ANNOTATION_NAMESPACE}"><Value>` +
        entries.map(([key, value]) => `<M${attr('K', key)}>${xmlText(value)}</M>`).join('') +
        '</Value></MapAnnotation></StructuredAnnotations>'
      : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<OME xmlns="${OME_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    ` xsi:schemaLocation="${OME_NAMESPACE} ${OME_NAMESPACE}/ome.xsd"${attr('UUID', model.uuid)} Creator="scope-controller">` +
    `<Image ID="Image:0"${attr('Name', model.imageName)}>` +
    (model.acquisitionDateMs !== undefined ? `<AcquisitionDate>${new Date(model.acquisitionDateMs).toISOString()}</AcquisitionDate>` : '') +
    (model.description ? `<Description>${xmlText(model.description)}</Description>` : '') +
    stageLabel +
    `<Pixels ID="Pixels:0"${attr('DimensionOrder', model.dimensionOrder)}${attr('Type', OME_PIXEL_TYPE[model.pixelType])}` +
    `${attr('SignificantBits', model.significantBits)} BigEndian="false" Interleaved="false"` +
    `${attr('SizeX', sizes.x)}${attr('SizeY', sizes.y)}${attr('SizeZ', sizes.z)}${attr('SizeC', sizes.c)}${attr('SizeT', sizes.t)}` +
    `${attr('PhysicalSizeX', model.pixelSizeUm)} PhysicalSizeXUnit="${MICROMETER}"` +
    `${attr('PhysicalSizeY', model.pixelSizeUm)} PhysicalSizeYUnit="${MICROMETER}"` +
    (model.zStepUm !== undefined ? `${attr('PhysicalSizeZ', model.zStepUm)} PhysicalSizeZUnit="${MICROMETER}"` : '') +
    (model.timeIncrementMs ? `${attr('TimeIncrement', model.timeIncrementMs)} TimeIncrementUnit="ms"` : '') +
    '>' +
    channels +
    tiffData +
    model.planeElements.join('') +
    '</Pixels>' +
    annotationRef +
    '</Image>' +
    annotations +
    '</OME>'
  );
}
