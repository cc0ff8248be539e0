import type { CfgSetting, MicroManagerCfg } from './cfg-parser';
import { createDevice, ledSource, type LightSourceOptions } from './device-library';
import type { DeviceType } from './java-enums';
import { CoreError, SimDevice, prop } from './sim-device';
import { SystemStateCache } from './state-cache';

export const CORE_LABEL = 'Core';
export const ROLES = ['Camera', 'Shutter', 'Focus', 'XYStage', 'AutoFocus', 'ImageProcessor', 'SLM', 'Galvo'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_TYPES: Record<Role, DeviceType> = {
  Camera: 'CameraDevice',
  Shutter: 'ShutterDevice',
  Focus: 'StageDevice',
  XYStage: 'XYStageDevice',
  AutoFocus: 'AutoFocusDevice',
  ImageProcessor: 'ImageProcessorDevice',
  SLM: 'SLMDevice',
  Galvo: 'GalvoDevice',
};

export class CfgLoadError extends Error {
  override readonly name = 'CfgLoadError';
}

export interface SimCoreOptions {
  /** The LED added to the configuration; null adds none. Default: label "LED", 385/470/555/640 nm, 100 mW. */
  readonly lightSource?: LightSourceOptions | null;
  /** Told of every property a simulated light source accepts (the record a safety test reads). */
  readonly onLightCommand?: (command: LightCommand) => void;
}

export interface LightCommand {
  readonly device: string;
  readonly property: string;
  readonly value: string;
}

/** Numbers compare as numbers ("25" matches "25.0000"), everything else as text. */
function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  return a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) < 1e-9;
}

/**
 * The state side of the simulated MMCore: devices and their properties, roles, state labels, configuration
 * groups, pixel-size presets and the system-state cache, loaded from a Micro-Manager .cfg file as
 * CMMCore::loadSystemConfiguration does. Imaging, stages and sequences live beside it.
 */
export class SimCore {
  readonly devices = new Map<string, SimDevice>();
  readonly core: SimDevice;
  readonly groups = new Map<string, Map<string, CfgSetting[]>>();
  readonly pixelSizes: MicroManagerCfg['pixelSizes'];
  readonly delaysMs: Map<string, number>;
  readonly focusDirections: Map<string, number>;
  readonly parents: Map<string, string>;
  readonly cache = new SystemStateCache();
  /** Configuration lines not acted on, and devices loaded only as generic stand-ins. */
  readonly warnings: string[] = [];

  constructor(
    cfg: MicroManagerCfg,
    private readonly options: SimCoreOptions = {},
  ) {
    this.core = new SimDevice(CORE_LABEL, '', 'Core', 'CoreDevice', 'Core device', {
      AutoShutter: prop('1', { type: 'Integer', allowed: ['0', '1'] }),
      ChannelGroup: prop(''),
      Initialize: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
      TimeoutMs: prop('5000', { type: 'Integer' }),
      ...Object.fromEntries(ROLES.map((role) => [role, prop('')])),
    });
    this.pixelSizes = cfg.pixelSizes;
    this.delaysMs = cfg.delaysMs;
    this.focusDirections = cfg.focusDirections;
    this.parents = cfg.parents;
    this.warnings.push(...cfg.ignored.map((i) => `line ${i.lineNumber}: ${i.reason}: ${i.line}`));
    for (const d of cfg.devices) {
      if (this.devices.has(d.label) || d.label === CORE_LABEL)
        throw new CfgLoadError(`line ${d.lineNumber}: device label "${d.label}" is used twice`);
      try {
        const device = createDevice(d.label, d.library, d.adapter);
        if (device.type === 'GenericDevice' && d.library !== 'DemoCamera')
          this.warnings.push(`device "${d.label}" (${d.library}/${d.adapter}) is not simulated`);
        this.devices.set(d.label, device);
      } catch (err) {
        throw new CfgLoadError(`line ${d.lineNumber}: ${(err as Error).message}`);
      }
    }
    for (const [label, labels] of cfg.labels) {
      const device = this.devices.get(label);
      if (!device) throw new CfgLoadError(`Label lines name device "${label}", which is not loaded`);
      for (const [position, text] of labels) device.stateLabels.set(position, text);
      this.refreshLabel(device);
    }
    // At initialization MMCore gives each role to the last loaded device of its type; Property lines then override.
    for (const device of this.devices.values()) {
      const role = ROLES.find((r) => ROLE_TYPES[r] === device.type);
      if (role) this.core.force(role, device.label);
    }
    this.addLightSource(options.lightSource);
    for (const p of cfg.properties) {
      try {
        if (p.device === CORE_LABEL && p.property === 'Initialize') this.core.force('Initialize', p.value);
        else if (this.devices.get(p.device)?.type === 'GenericDevice') this.devices.get(p.device)!.force(p.property, p.value);
        else this.setProperty(p.device, p.property, p.value);
      } catch (err) {
        throw new CfgLoadError(`line ${p.lineNumber}: ${(err as Error).message}`);
      }
    }
    for (const [group, presets] of cfg.groups)
      this.groups.set(group, new Map([...presets].map(([name, settings]) => [name, [...settings]])));
    this.core.force('Initialize', '1');
    if (this.groups.get('System')?.has('Startup')) this.setConfig('System', 'Startup');
    this.updateSystemStateCache();
  }

  private addLightSource(options: LightSourceOptions | null | undefined): void {
    if (options === null || [...this.devices.values()].some((d) => d.library === 'SimulatedLight')) return;
    const label = options?.label ?? 'LED';
    if (this.devices.has(label)) throw new CfgLoadError(`cannot add the LED as "${label}": the configuration already uses that label`);
    this.devices.set(label, ledSource(label, options ?? {}));
  }

  device(label: string): SimDevice {
    if (label === CORE_LABEL) return this.core;
    const device = this.devices.get(label);
    if (!device) throw new CoreError(`No device with label "${label}"`);
    return device;
  }

  loadedDevices(): string[] {
    return [...this.devices.keys(), CORE_LABEL];
  }

  devicesOfType(type: DeviceType): string[] {
    return this.loadedDevices().filter((label) => type === 'AnyType' || this.device(label).type === type);
  }

  role(role: Role): string {
    return this.core.get(role);
  }

  /** The device holding a role, or MMCore's error when none does. */
  roleDevice(role: Role, missing: string): SimDevice {
    const label = this.role(role);
    if (!label) throw new CoreError(missing);
    return this.device(label);
  }

  setRole(role: Role, label: string): void {
    if (label !== '' && this.device(label).type !== ROLE_TYPES[role]) {
      throw new CoreError(`Device "${label}" is not a ${ROLE_TYPES[role]}; it cannot be the ${role} device`);
    }
    this.core.force(role, label);
    this.cache.set(CORE_LABEL, role, label);
  }

  getProperty(label: string, name: string): string {
    return this.device(label).get(name);
  }

  /** CMMCore::setProperty: the device's checks, then the cache records the value as given. */
  setProperty(label: string, name: string, value: string): void {
    const device = this.device(label);
    if (device === this.core && (ROLES as readonly string[]).includes(name)) {
      this.setRole(name as Role, value);
      return;
    }
    if (device === this.core && name === 'ChannelGroup' && value !== '' && !this.groups.has(value)) {
      throw new CoreError(`Configuration group "${value}" does not exist`);
    }
    if (device.type === 'StateDevice' && name === 'Label') this.moveToLabel(device, value);
    else {
      device.set(name, value);
      if (device.library === 'SimulatedLight') this.options.onLightCommand?.({ device: label, property: name, value });
      if (device.type === 'StateDevice' && name === 'State') this.refreshLabel(device);
      if (device.type === 'StageDevice' && name === 'Position') device.zUm = device.number('Position');
    }
    this.cache.set(label, name, value);
  }

  // ---- state devices ----

  stateLabels(label: string): string[] {
    return [...this.stateDevice(label).stateLabels.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  }

  setState(label: string, position: number): void {
    const device = this.stateDevice(label);
    device.set('State', String(position));
    this.refreshLabel(device);
    this.cache.set(label, 'State', String(position));
    this.cache.set(label, 'Label', device.get('Label'));
  }

  setStateLabel(label: string, text: string): void {
    const device = this.stateDevice(label);
    this.moveToLabel(device, text);
    this.cache.set(label, 'Label', text);
  }

  private stateDevice(label: string): SimDevice {
    const device = this.device(label);
    if (device.type !== 'StateDevice') throw new CoreError(`Device "${label}" is not a state device`);
    return device;
  }

  private moveToLabel(device: SimDevice, text: string): void {
    const position = [...device.stateLabels].find(([, l]) => l === text)?.[0];
    if (position === undefined) throw new CoreError(`Label "${text}" not defined for device "${device.label}"`);
    device.set('State', String(position));
    this.refreshLabel(device);
  }

  private refreshLabel(device: SimDevice): void {
    const labels = [...device.stateLabels.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
    device.properties.set('Label', prop(device.stateLabels.get(Number(device.get('State'))) ?? labels[0] ?? '', { allowed: labels }));
  }

  // ---- configuration groups ----

  presets(group: string): Map<string, CfgSetting[]> {
    const presets = this.groups.get(group);
    if (!presets) throw new CoreError(`Configuration group "${group}" does not exist`);
    return presets;
  }

  presetNames(group: string): string[] {
    return [...this.presets(group).keys()].sort();
  }

  setConfig(group: string, preset: string): void {
    const settings = this.presets(group).get(preset);
    if (!settings) throw new CoreError(`Preset "${preset}" does not exist in configuration group "${group}"`);
    for (const s of settings) this.setProperty(s.device, s.property, s.value);
  }

  /** The first preset (by name) whose settings all hold, live or in the cache; "" when none does. */
  currentConfig(group: string, fromCache = false): string {
    const read = (s: CfgSetting) => (fromCache ? this.cache.get(s.device, s.property) : this.safeProperty(s.device, s.property));
    for (const name of this.presetNames(group)) {
      const settings = this.presets(group).get(name)!;
      if (
        settings.every((s) => {
          const v = read(s);
          return v !== undefined && sameValue(v, s.value);
        })
      )
        return name;
    }
    return '';
  }

  // ---- pixel size ----

  currentPixelSizeConfig(fromCache = false): string {
    const read = (s: CfgSetting) => (fromCache ? this.cache.get(s.device, s.property) : this.safeProperty(s.device, s.property));
    for (const name of [...this.pixelSizes.keys()].sort()) {
      if (
        this.pixelSizes.get(name)!.settings.every((s) => {
          const v = read(s);
          return v !== undefined && sameValue(v, s.value);
        })
      )
        return name;
    }
    return '';
  }

  /** The preset's pixel size (µm at binning 1), 0 when no preset matches, as MMCore reports. */
  unbinnedPixelSizeUm(fromCache = false): number {
    const name = this.currentPixelSizeConfig(fromCache);
    return name ? this.pixelSizes.get(name)!.pixelSizeUm : 0;
  }

  /** CMMCore::getPixelSizeUm: preset size × camera binning. */
  pixelSizeUm(fromCache = false): number {
    const camera = this.role('Camera');
    const binning = camera ? Number(this.device(camera).properties.get('Binning')?.value ?? 1) : 1;
    return this.unbinnedPixelSizeUm(fromCache) * binning;
  }

  pixelSizeAffine(fromCache = false): number[] {
    const name = this.currentPixelSizeConfig(fromCache);
    const affine = name ? this.pixelSizes.get(name)!.affine : undefined;
    const camera = this.role('Camera');
    const binning = camera ? Number(this.device(camera).properties.get('Binning')?.value ?? 1) : 1;
    return (affine ?? [1, 0, 0, 0, 1, 0]).map((v, i) => (i === 2 || i === 5 ? v : v * binning));
  }

  // ---- system state cache ----

  /** CMMCore::updateSystemStateCache: every property of every device, in device order. */
  updateSystemStateCache(): void {
    this.cache.clear();
    for (const label of this.loadedDevices()) {
      for (const [name, p] of this.device(label).properties) this.cache.set(label, name, p.value);
    }
  }

  private safeProperty(label: string, name: string): string | undefined {
    return (label === CORE_LABEL ? this.core : this.devices.get(label))?.properties.get(name)?.value;
  }
}
