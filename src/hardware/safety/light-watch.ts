import type { PresetSetting, PropertyLimits } from '../micro-manager';

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
  const presets = new Map<string, PresetSetting[]>();
  for (const group of await core.getAvailableConfigGroups()) {
    for (const preset of await core.getAvailableConfigs(group)) presets.set(`${group}/${preset}`, await core.getConfigData(group, preset));
  }
  const channelGroup = await core.getChannelGroup();
  const channelSettings = [...presets].filter(([key]) => key.startsWith(`${channelGroup}/`));
  const devices = new Set<string>();
  const loaded = await core.getLoadedDevices();
  for (const label of loaded) {
    const type = await core.getDeviceType(label);
    if (type === 'ShutterDevice' || label === lightSourceLabel) devices.add(label);
    if (type === 'StateDevice' && channelSettings.some(([, settings]) => settings.some((s) => s.device === label))) devices.add(label);
  }
  const watched: WatchedLightProperty[] = [];
  for (const device of devices) {
    for (const property of await core.getDevicePropertyNames(device)) {
      const presetKeys = [...presets]
        .filter(([, settings]) => settings.some((s) => s.device === device && s.property === property))
        .map(([key]) => key);
      const kind = kindOf(property);
      const setByChannel = presetKeys.some((key) => key.startsWith(`${channelGroup}/`));
      if (kind === 'setting' && !setByChannel) continue;
      if (await core.isPropertyReadOnly(device, property)) continue;
      const viaEnvelope = device === lightSourceLabel && (property === 'Intensity' || property === 'State');
      if (kind !== 'power') {
        watched.push({ device, property, kind, viaEnvelope, presets: presetKeys });
        continue;
      }
      const limits = await core.getPropertyLimits(device, property);
      const range = limits ?? { lower: 0, upper: 100 };
      const maxValue = range.lower + ((range.upper - range.lower) * maxPowerPercent) / 100;
      watched.push({ device, property, kind, viaEnvelope, range, rangeAssumed: !limits, maxValue, presets: presetKeys });
    }
  }
  return { watched, presets, channelGroup };
}
