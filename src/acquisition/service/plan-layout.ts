import type { ImageGeometry } from '../../hardware/micro-manager';
import type { DatasetLayoutInput, SampleType } from '../storage';
import type { ExpansionOptions, MDAEvent, MDASequence, ZPlan } from '../plans';
import { iterateEvents } from '../plans';

export class UnsupportedCameraFormatError extends Error {
  override readonly name = 'UnsupportedCameraFormatError';
}

export interface PlanLayout {
  readonly layout: DatasetLayoutInput;
  /** Frames the plan takes (acquire_image events). */
  readonly framesPlanned: number;
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
  if (!dtype) throw new UnsupportedCameraFormatError(`the camera gives ${camera.bytesPerPixel} bytes per pixel; raw storage takes 8- or 16-bit monochrome`);
  const max = { t: 0, p: 0, g: 0, c: 0, z: 0 };
  const channelNames: string[] = [];
  const positionAt = new Map<string, string>();
  let framesPlanned = 0;
  for (const event of iterateEvents(sequence, fov) as Iterable<MDAEvent>) {
    if (event.action.type !== 'acquire_image') continue;
    framesPlanned++;
    for (const axis of ['t', 'p', 'g', 'c', 'z'] as const) max[axis] = Math.max(max[axis], event.index[axis] ?? 0);
    const c = event.index.c ?? 0;
    if (event.channel && channelNames[c] === undefined) channelNames[c] = event.channel.config;
    if (event.posName) positionAt.set(`${event.index.p ?? 0}/${event.index.g ?? 0}`, event.posName);
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
