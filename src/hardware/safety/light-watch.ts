import type { PropertyLimits } from '../devices';
import type { PresetSetting } from '../micro-manager';

/** How a property changes light: its power (limited), switching it on or off, or another of its settings. */
export type LightControlKind = 'power' | 'switch' | 'setting';

/** A property the guard watches: every write to it goes through the guard. */
export interface WatchedLightProperty {
  readonly device: string;
  readonly property: string;
  readonly kind: LightControlKind;
  /** The configured light source: power and switch go through its safety envelope (dose, channel maximum). */
  readonly viaEnvelope: boolean;
  /** Power: the property's range; a power property without limits is read as percent (0–100). */
  readonly range?: PropertyLimits;
  readonly rangeAssumed?: boolean;
  /** Power: the highest value the limit allows, in the property's own unit. */
  readonly maxValue?: number;
  /** Presets that set it, "group/preset". */
  readonly presets: readonly string[];
}

/** What the guard needs to learn the light path from the loaded configuration. */
export interface LightPathReader {
  getLoadedDevices(): Promise<string[]>;
  getDeviceType(label: string): Promise<string>;
  getDevicePropertyNames(label: string): Promise<string[]>;
  isPropertyReadOnly(label: string, name: string): Promise<boolean>;
  getPropertyLimits(label: string, name: string): Promise<PropertyLimits | undefined>;
  getAvailableConfigGroups(): Promise<string[]>;
  getAvailableConfigs(group: string): Promise<string[]>;
  getChannelGroup(): Promise<string>;
  getConfigData(group: string, preset: string): Promise<PresetSetting[]>;
}

const POWER_NAME = /intensity|power|level|brightness|current|amplitude|setpoint|percent/i;
const SWITCH_NAME = /^(state|label|onoff|on|enable|enabled|shutter|open)$/i;

export function kindOf(property: string): LightControlKind {
  if (SWITCH_NAME.test(property)) return 'switch';
  return POWER_NAME.test(property) ? 'power' : 'setting';
}

export interface LearnedLightPath {
  readonly watched: readonly WatchedLightProperty[];
  /** Every preset's settings, "group/preset" → settings, as loaded. */
  readonly presets: ReadonlyMap<string, readonly PresetSetting[]>;
  readonly channelGroup: string;
}

/**
 * Reads from the loaded configuration which devices and properties control light: the configured light source,
 * every Shutter device, every State device a channel preset sets, and on them each writable power or switch
 * property and each property a channel preset sets.
 */
export async function learnLightPath(
  core: LightPathReader,
  lightSourceLabel: string | undefined,
  maxPowerPercent: number,
): Promise<LearnedLightPath> {
  // Every read is queued at once: the bridge sends them back to back, so learning costs round trips, not their sum.
  const presets = new Map<string, PresetSetting[]>();
  const groups = await core.getAvailableConfigGroups();
  const presetNames = await Promise.all(groups.map((group) => core.getAvailableConfigs(group)));
  const keys = groups.flatMap((group, i) => presetNames[i].map((preset) => [group, preset] as const));
  const settings = await Promise.all(keys.map(([group, preset]) => core.getConfigData(group, preset)));
  keys.forEach(([group, preset], i) => presets.set(`${group}/${preset}`, settings[i]));
  const channelGroup = await core.getChannelGroup();
  const channelSettings = [...presets].filter(([key]) => key.startsWith(`${channelGroup}/`));
  const loaded = await core.getLoadedDevices();
  const types = await Promise.all(loaded.map((label) => core.getDeviceType(label)));
  const devices = loaded.filter(
    (label, i) =>
      types[i] === 'ShutterDevice' ||
      label === lightSourceLabel ||
      (types[i] === 'StateDevice' && channelSettings.some(([, list]) => list.some((s) => s.device === label))),
  );
  const perDevice = await Promise.all(
    devices.map((device) => watchedOn(core, device, presets, channelGroup, lightSourceLabel, maxPowerPercent)),
  );
  const watched = perDevice.flat();
  return { watched, presets, channelGroup };
}

async function watchedOn(
  core: LightPathReader,
  device: string,
  presets: ReadonlyMap<string, readonly PresetSetting[]>,
  channelGroup: string,
  lightSourceLabel: string | undefined,
  maxPowerPercent: number,
): Promise<WatchedLightProperty[]> {
  const candidates = (await core.getDevicePropertyNames(device)).flatMap((property) => {
    const presetKeys = [...presets]
      .filter(([, settings]) => settings.some((s) => s.device === device && s.property === property))
      .map(([key]) => key);
    const kind = kindOf(property);
    const setByChannel = presetKeys.some((key) => key.startsWith(`${channelGroup}/`));
    return kind === 'setting' && !setByChannel ? [] : [{ property, kind, presetKeys }];
  });
  const readOnly = await Promise.all(candidates.map((c) => core.isPropertyReadOnly(device, c.property)));
  const writable = candidates.filter((_, i) => !readOnly[i]);
  const limits = await Promise.all(writable.map((c) => (c.kind === 'power' ? core.getPropertyLimits(device, c.property) : undefined)));
  return writable.map(({ property, kind, presetKeys }, i): WatchedLightProperty => {
    const viaEnvelope = device === lightSourceLabel && (property === 'Intensity' || property === 'State');
    if (kind !== 'power') return { device, property, kind, viaEnvelope, presets: presetKeys };
    const range = limits[i] ?? { lower: 0, upper: 100 };
    const maxValue = range.lower + ((range.upper - range.lower) * maxPowerPercent) / 100;
    return { device, property, kind, viaEnvelope, range, rangeAssumed: !limits[i], maxValue, presets: presetKeys };
  });
}
