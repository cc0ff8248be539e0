import { basename } from 'node:path';
import { z } from 'zod';
import { droppedAt, type DatasetState, type EndingNotes } from '../dataset-state';
import { dimensionOrderFor, positionCount, validateLayout, type DatasetLayout } from '../dataset-layout';
import { buildOmeXml, planeElement, type OmeImageModel } from '../ome-xml/build-ome-xml';
import { asciiJson } from '../plane-record';
import { planesInUse, tiffDataRuns, writtenSizes, type StoredPlane } from './plane-grid';

/** A reserved area holding the OME-XML; two of them alternate so the XML an IFD points to is always complete. */
export interface XmlSlot {
  readonly offset: number;
  readonly bytes: number;
}

/** Identity and layout of one OME-TIFF file, stored as JSON in its first IFD so recovery needs nothing else. */
export interface OmeTiffFileInfo {
  readonly format: 'scope-controller/ome-tiff';
  readonly version: 1;
  readonly layout: DatasetLayout;
  readonly datasetUuid: string;
  readonly fileUuid: string;
  readonly position: number;
  readonly positionName?: string;
  /** Wall-clock time of the data set's first frame, ms since the epoch (OME AcquisitionDate). */
  readonly acquisitionStartMs: number;
  readonly xmlSlots: readonly [XmlSlot, XmlSlot];
}

const slotSchema = z.object({ offset: z.number().int().nonnegative(), bytes: z.number().int().positive() });
const infoSchema = z.object({
  format: z.literal('scope-controller/ome-tiff'),
  version: z.literal(1),
  layout: z.record(z.string(), z.unknown()),
  datasetUuid: z.string(),
  fileUuid: z.string(),
  position: z.number().int().nonnegative(),
  positionName: z.string().optional(),
  acquisitionStartMs: z.number(),
  xmlSlots: z.tuple([slotSchema, slotSchema]),
});

export const serializeFileInfo = (info: OmeTiffFileInfo): string => asciiJson(info);

/** Parses the first IFD's info tag; undefined when it is not ours. */
export function parseFileInfo(text: string, where: string): OmeTiffFileInfo | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = infoSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return { ...parsed.data, layout: validateLayout(parsed.data.layout as DatasetLayout, where) } as OmeTiffFileInfo;
}

/** Bytes to reserve per XML slot: room for the planned planes' TiffData and Plane elements, with margin. */
export function xmlSlotBytes(layout: DatasetLayout): number {
  const plannedPlanes = layout.sizes.t * layout.sizes.c * layout.sizes.z;
  const fixedBytes = 16384 + layout.channelNames.reduce((sum, name) => sum + name.length * 6 + 80, 0);
  return Math.ceil((fixedBytes + plannedPlanes * 420) / 4096) * 4096;
}

/**
 * The OME-XML for what the file holds: sizes are the real extent of the written planes, TiffData covers every
 * stored plane (blank fillers included), Plane elements describe the acquired ones once the file is final. While
 * acquiring, checkpoints leave the Plane elements out: TiffData alone places every plane, each IFD holds its own
 * record whole (recovery rebuilds them from there), and the XML rewritten at each checkpoint then stays the same
 * size all run long instead of growing with every plane (quadratic writes, megabytes of garbage per checkpoint).
 */
export function omeXmlFor(
  path: string,
  info: OmeTiffFileInfo,
  planes: readonly StoredPlane[],
  state: DatasetState,
  notes?: EndingNotes,
): string {
  const { layout } = info;
  const order = dimensionOrderFor(layout);
  const inUse = planesInUse(planes);
  const sizes = planes.length > 0 ? writtenSizes(inUse) : { t: layout.sizes.t, c: layout.sizes.c, z: layout.sizes.z };
  const acquired = inUse.filter((plane) => !plane.record.blank);
  const elements = state === 'acquiring' ? [] : acquired.map((plane) => plane.planeXml ?? planeElement(plane.record));
  const first = acquired[0]?.record.meta;
  const positionName = info.positionName ?? first?.positionName;
  const blanks = inUse.filter((plane) => plane.record.blank);
  const annotation: Record<string, string> = { datasetUuid: info.datasetUuid, state, position: String(info.position) };
  if (notes?.reason) annotation.stateReason = notes.reason;
  const dropped = droppedAt(notes, info.position);
  if (dropped) {
    annotation.framesDropped = String(dropped.count);
    annotation.droppedFrames = JSON.stringify(dropped.listed);
  }
  for (const [key, value] of Object.entries(notes?.annotations ?? {})) annotation[key] ??= value;
  annotation.planesAcquired = String(acquired.length);
  if (positionName) annotation.positionName = positionName;
  if (layout.acquisitionId) annotation.acquisitionId = layout.acquisitionId;
  // OME has no field for where the plan put the stage; Plane PositionX/Y/Z hold where the stage reported it was
  for (const [axis, value] of Object.entries(first?.plannedStage ?? {})) {
    if (value !== undefined) annotation[`plannedPosition.${axis}`] = String(value);
  }
  if (layout.derivedFrom) {
    annotation['derivedFrom.path'] = layout.derivedFrom.path;
    annotation['derivedFrom.uuid'] = layout.derivedFrom.uuid;
  }
  if (blanks.length > 0) {
    annotation.blankPlanes = String(blanks.length);
    annotation.blankPlaneIndices = blanks.map(({ record }) => `t${record.t}c${record.c}z${record.z}`).join(' ');
  }
  const baseName = layout.name ?? basename(path).replace(/(_p\d+)?(\.ome)?\.tiff?$/i, '');
  const model: OmeImageModel = {
    uuid: info.fileUuid,
    imageName: positionCount(layout) > 1 ? `${baseName} ${positionName ?? `position ${info.position}`}` : baseName,
    acquisitionDateMs: info.acquisitionStartMs,
    description: layout.description,
    dimensionOrder: order,
    pixelType: layout.dtype,
    significantBits: layout.significantBits,
    sizes: { x: layout.widthPx, y: layout.heightPx, ...sizes },
    pixelSizeUm: layout.pixelSizeUm,
    zStepUm: layout.zStepUm,
    timeIncrementMs: layout.timeIntervalMs,
    channelNames: layout.channelNames.slice(0, sizes.c),
    channelColors: layout.channelColors.slice(0, sizes.c),
    stageLabel: first ? { name: positionName ?? `Position ${info.position}`, xUm: first.stage.xUm, yUm: first.stage.yUm } : undefined,
    tiffData: tiffDataRuns(inUse, sizes, order),
    planeElements: elements,
    annotation,
  };
  return buildOmeXml(model);
}
