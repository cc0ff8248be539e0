import type { ImageGeometry } from '../../hardware/micro-manager';
import { datasetChannelNames } from '../engine/camera-channels';
import { channelColor, type ChannelLight, type DatasetLayoutInput, type SampleType } from '../storage';
import type { ExpansionOptions, MDAEvent, MDASequence, ZPlan } from '../plans';
import { axisSizes, countFrames, iterateEvents } from '../plans';

export class UnsupportedCameraFormatError extends Error {
  override readonly name = 'UnsupportedCameraFormatError';
}

export interface PlanLayout {
  readonly layout: DatasetLayoutInput;
  /** Frames the plan takes (acquire_image events). */
  readonly framesPlanned: number;
  /** Channel presets the events use, as group → configs. */
  readonly presets: ReadonlyMap<string, ReadonlySet<string>>;
  /** Autofocus devices the events name. */
  readonly autofocusDevices: ReadonlySet<string>;
}

/** Plans up to this many frames are sized by looking at every event (exact for sub-sequences); larger ones by their axes. */
const MAX_SCANNED_EVENTS = 1_000_000;

/** Channel presets and autofocus devices a plan names, its sub-sequences included, without expanding it. */
function hardwareNamesOf(sequence: MDASequence): { presets: Map<string, Set<string>>; autofocusDevices: Set<string> } {
  const presets = new Map<string, Set<string>>();
  const autofocusDevices = new Set<string>();
  const visit = (plan: MDASequence) => {
    for (const channel of plan.channels) {
      if (!presets.has(channel.group)) presets.set(channel.group, new Set());
      presets.get(channel.group)!.add(channel.config);
    }
    if (plan.autofocusPlan?.autofocusDeviceName) autofocusDevices.add(plan.autofocusPlan.autofocusDeviceName);
    for (const position of plan.stagePositions) if (position.sequence) visit(position.sequence);
  };
  visit(sequence);
  return { presets, autofocusDevices };
}

const SAMPLE_TYPES: Readonly<Record<number, SampleType>> = { 1: 'uint8', 2: 'uint16' };

function zStepUm(plan: ZPlan | null): number | undefined {
  if (!plan) return undefined;
  if ('stepUm' in plan) return plan.stepUm > 0 ? plan.stepUm : undefined;
  const points = plan.kind === 'relative_positions' ? plan.relativeUm : plan.absoluteUm;
  return points.length > 1 ? Math.abs(points[1] - points[0]) || undefined : undefined;
}

function timeIntervalMs(sequence: MDASequence): number | undefined {
  const plan = sequence.timePlan;
  if (!plan || plan.kind === 'multi_phase' || !('intervalUs' in plan)) return undefined;
  return plan.intervalUs / 1000;
}

/**
 * The data set's shape from the plan's events: one pass over the (lazy) events, so sub-sequences with their own
 * grids or channels are sized by what they really acquire. Channel and position names come from the events.
 */
export function layoutForPlan(
  sequence: MDASequence,
  fov: ExpansionOptions,
  camera: ImageGeometry,
  pixelSizeUm: number,
  acquisitionId: string,
): PlanLayout {
  const dtype = SAMPLE_TYPES[camera.bytesPerPixel];
  if (!dtype)
    throw new UnsupportedCameraFormatError(
      `the camera gives ${camera.bytesPerPixel} bytes per pixel; raw storage takes 8- or 16-bit monochrome`,
    );
  const framesPlanned = countFrames(sequence, fov);
  const { presets, autofocusDevices } = hardwareNamesOf(sequence);
  const max = { t: 0, p: 0, g: 0, c: 0, z: 0 };
  const channelNames: string[] = [];
  const positionAt = new Map<string, string>();
  if (framesPlanned <= MAX_SCANNED_EVENTS) {
    for (const event of iterateEvents(sequence, fov) as Iterable<MDAEvent>) {
      if (event.action.type !== 'acquire_image') continue;
      for (const axis of ['t', 'p', 'g', 'c', 'z'] as const) max[axis] = Math.max(max[axis], event.index[axis] ?? 0);
      const c = event.index.c ?? 0;
      if (event.channel && channelNames[c] === undefined) channelNames[c] = event.channel.config;
      if (event.posName) positionAt.set(`${event.index.p ?? 0}/${event.index.g ?? 0}`, event.posName);
    }
  } else {
    // too many events to look at each: the top-level plan's axes (sub-sequences then fit or are refused frame by frame)
    const sizes = axisSizes(sequence, fov);
    for (const axis of ['t', 'p', 'g', 'c', 'z'] as const) max[axis] = Math.max(0, (sizes[axis] ?? 1) - 1);
    sequence.channels.forEach((channel, c) => (channelNames[c] = channel.config));
  }
  const sizes = { t: max.t + 1, p: max.p + 1, g: max.g + 1, c: max.c + 1, z: max.z + 1 };
  const names = Array.from({ length: sizes.c }, (_, c) => channelNames[c] ?? `Channel ${c}`);
  const positionNames: string[] = [];
  for (let p = 0; p < sizes.p; p++) {
    for (let g = 0; g < sizes.g; g++) {
      const name = positionAt.get(`${p}/${g}`) ?? `Pos${p}`;
      positionNames.push(sizes.g > 1 ? `${name}_g${g}` : name);
    }
  }
  const axisOrder = [...sequence.axisOrder.filter((axis) => 'tpgcz'.includes(axis))];
  for (const axis of ['t', 'c', 'z']) if (!axisOrder.includes(axis as never)) axisOrder.push(axis as never);
  return {
    framesPlanned,
    presets,
    autofocusDevices,
    layout: {
      axisOrder: axisOrder.join(''),
      sizes,
      dtype,
      widthPx: camera.width,
      heightPx: camera.height,
      channelNames: names,
      pixelSizeUm: pixelSizeUm > 0 ? pixelSizeUm : 1,
      zStepUm: zStepUm(sequence.zPlan),
      timeIntervalMs: timeIntervalMs(sequence),
      significantBits: camera.bitDepth > 0 ? camera.bitDepth : undefined,
      positionNames,
      acquisitionId,
    },
  };
}

/**
 * The layout when several physical cameras sit behind a Multi Camera: each event gives one frame per camera, and
 * each camera's frames of a preset are a channel of their own (see datasetChannel).
 */
export function withCameraChannels(plan: PlanLayout, cameraNames: readonly string[]): PlanLayout {
  const cameras = cameraNames.length;
  if (cameras <= 1) return plan;
  const { layout } = plan;
  const planNames = layout.channelNames ?? Array.from({ length: layout.sizes.c }, (_, c) => `Channel ${c}`);
  return {
    ...plan,
    framesPlanned: plan.framesPlanned * cameras,
    layout: {
      ...layout,
      sizes: { ...layout.sizes, c: layout.sizes.c * cameras },
      channelNames: datasetChannelNames(planNames, cameraNames),
    },
  };
}

/** The layout with each channel's display colour, from what the configuration knows of its preset. */
export function withChannelColors(layout: DatasetLayoutInput, lights: Readonly<Record<string, ChannelLight>>): DatasetLayoutInput {
  const names = layout.channelNames ?? Array.from({ length: layout.sizes.c }, (_, c) => `Channel ${c}`);
  // A camera's channel ("FITC · Camera-2") is coloured as its preset.
  const lightOf = (name: string) => lights[name] ?? lights[name.split(' · ')[0]] ?? {};
  return { ...layout, channelColors: names.map((name, c) => channelColor(name, lightOf(name), c)) };
}
