import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ConfigGroups, DeviceProperties } from '../../hardware/devices';
import { LightLimitError, type LightGuard } from '../../hardware/safety';
import { SOFTWARE_AUTOFOCUS } from '../autofocus';
import type { MDASequence } from '../plans';
import type { PlanLayout } from './plan-layout';

/** The plan names hardware the configuration does not have. */
export class UnknownHardwareError extends Error {
  override readonly name = 'UnknownHardwareError';
}

/** The data set would not fit on the destination disk. */
export class InsufficientSpaceError extends Error {
  override readonly name = 'InsufficientSpaceError';
  constructor(
    message: string,
    readonly neededBytes: number,
    readonly freeBytes: number,
  ) {
    super(message);
  }
}

/** Free bytes where the data set would go (the nearest existing folder up the path). */
export function freeBytesAt(path: string): number {
  let dir = resolve(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const stats = statfsSync(dir);
  return Number(stats.bavail) * Number(stats.bsize);
}

/** Refuses, before anything moves, a plan whose channel presets or autofocus devices the microscope lacks. */
export async function checkHardwareNames(config: ConfigGroups, properties: DeviceProperties, plan: PlanLayout): Promise<void> {
  if (plan.presets.size > 0) {
    const groups = await config.groups();
    for (const [group, configs] of plan.presets) {
      if (!groups.includes(group)) {
        throw new UnknownHardwareError(`config group "${group}" does not exist; the configuration has: ${groups.join(', ') || '(none)'}`);
      }
      const available = await config.presets(group);
      const missing = [...configs].filter((config) => !available.includes(config));
      if (missing.length > 0) {
        throw new UnknownHardwareError(
          `channel preset ${missing.map((c) => `"${c}"`).join(', ')} not in group "${group}"; it has: ${available.join(', ')}`,
        );
      }
    }
  }
  if (plan.autofocusDevices.size > 0) {
    const devices = await properties.loadedDevices();
    for (const device of plan.autofocusDevices) {
      if (device !== SOFTWARE_AUTOFOCUS && !devices.includes(device)) {
        throw new UnknownHardwareError(
          `autofocus device "${device}" is not loaded; devices: ${devices.join(', ')}, or ${SOFTWARE_AUTOFOCUS}`,
        );
      }
    }
  }
}

/** Bytes the raw data set will take: pixels plus a per-plane allowance for the format's metadata. */
export function estimatedDatasetBytes(plan: PlanLayout, bytesPerPixel: number): number {
  const { widthPx, heightPx } = plan.layout;
  return plan.framesPlanned * (widthPx * heightPx * bytesPerPixel + 1024) + 64 * 1024;
}

export function checkSpace(directory: string, neededBytes: number): void {
  const freeBytes = freeBytesAt(directory);
  if (neededBytes > freeBytes) {
    const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
    throw new InsufficientSpaceError(
      `the data set needs about ${gb(neededBytes)} but ${resolve(directory)} has ${gb(freeBytes)} free; free space, pick another directory, or force`,
      neededBytes,
      freeBytes,
    );
  }
}

/** Every stage position's properties, sub-sequences included, with the plan field each sits at. */
function* positionProperties(
  sequence: MDASequence,
  where = '',
): Generator<{ field: string; device: string; property: string; value: unknown }> {
  for (const [i, position] of sequence.stagePositions.entries()) {
    for (const [j, [device, property, value]] of (position.properties ?? []).entries()) {
      yield { field: `${where}stage_positions[${i}].properties[${j}]`, device, property, value };
    }
    if (position.sequence) yield* positionProperties(position.sequence, `${where}stage_positions[${i}].sequence.`);
  }
}

/** Every channel, sub-sequences included, with its plan field. */
function* planChannels(sequence: MDASequence, where = ''): Generator<{ field: string; group: string; config: string }> {
  for (const [i, channel] of sequence.channels.entries())
    yield { field: `${where}channels[${i}]`, group: channel.group, config: channel.config };
  for (const [i, position] of sequence.stagePositions.entries()) {
    if (position.sequence) yield* planChannels(position.sequence, `${where}stage_positions[${i}].sequence.`);
  }
}

/**
 * With `safety.light.overLimit: refuse`, refuses before anything moves a plan whose position properties or channel
 * presets would drive light beyond the limits, naming the first one. With clamp, the guard clamps them as they run.
 */
export async function checkPlanLight(
  guard: Pick<LightGuard, 'policy' | 'overLimit' | 'presetOverLimit'>,
  plan: MDASequence,
): Promise<void> {
  if (guard.policy !== 'refuse') return;
  for (const { field, device, property, value } of positionProperties(plan)) {
    const problem = guard.overLimit(device, property, value);
    if (problem) throw new LightLimitError(`${field}: ${problem}; refused (safety.light.overLimit is refuse)`);
  }
  for (const { field, group, config } of planChannels(plan)) {
    const problem = await guard.presetOverLimit(group, config);
    if (problem) throw new LightLimitError(`${field}: ${problem}; refused (safety.light.overLimit is refuse)`);
  }
}

/**
 * Refuses, before anything moves, a plan whose position properties name a device or property the microscope lacks,
 * or a value Micro-Manager would refuse. Light power values are the light guard's (clamped or refused).
 */
export async function checkPlanProperties(
  properties: DeviceProperties,
  plan: MDASequence,
  lightPower: (device: string, property: string) => boolean,
): Promise<void> {
  const devices = await properties.loadedDevices();
  for (const { field, device, property, value } of positionProperties(plan)) {
    if (!devices.includes(device))
      throw new UnknownHardwareError(`${field}: device "${device}" is not loaded; devices: ${devices.join(', ')}`);
    if (!(await properties.has(device, property)))
      throw new UnknownHardwareError(`${field}: device "${device}" has no property "${property}"`);
    const problem = await properties.problem(device, property, value, { range: !lightPower(device, property) });
    if (problem) throw new UnknownHardwareError(`${field}: ${problem.message}`);
  }
}
