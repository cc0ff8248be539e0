import type { MicroManagerCfg } from './cfg-parser';
import { createDevice, ledSource } from './device-library';
import { CoreError, SimDevice, prop, type DeviceType } from './sim-device';

const CORE_LABEL = 'Core';
const ROLES = ['Camera', 'Shutter', 'Focus', 'XYStage', 'AutoFocus'] as const;
type Role = (typeof ROLES)[number];
const ROLE_TYPES: Record<Role, DeviceType> = {
  Camera: 'CameraDevice',
  Shutter: 'ShutterDevice',
  Focus: 'StageDevice',
  XYStage: 'XYStageDevice',
  AutoFocus: 'AutoFocusDevice',
};

/**
 * The state side of a simulated MMCore: devices, properties, roles, state labels, config groups and
 * pixel-size presets, loaded from a Micro-Manager .cfg file. Imaging lives in SimImaging.
 */
export class SimCore {
  readonly devices = new Map<string, SimDevice>();
  readonly groups = new Map<string, Map<string, Array<{ device: string; property: string; value: string }>>>();
  readonly pixelSizes: MicroManagerCfg['pixelSizes'];
  private readonly stateLabels = new Map<string, Map<number, string>>();
  readonly core: SimDevice;
  xyPositionUm = { x: 0, y: 0 };

  constructor(cfg: MicroManagerCfg, options: { addLightSource?: string | null } = {}) {
    this.core = new SimDevice(CORE_LABEL, '', 'Core', 'CoreDevice', 'Core device', {
      Initialize: prop('0', { allowed: ['0', '1'] }),
      AutoShutter: prop('1', { allowed: ['0', '1'] }),
      ChannelGroup: prop(''),
      TimeoutMs: prop('5000'),
      ImageProcessor: prop(''),
      SLM: prop(''),
      Galvo: prop(''),
      ...Object.fromEntries(ROLES.map((role) => [role, prop('')])),
    });
    for (const d of cfg.devices) this.devices.set(d.label, createDevice(d.label, d.library, d.adapter));
    const light = options.addLightSource === undefined ? 'LED' : options.addLightSource;
    if (light && !this.devices.has(light)) {
      const led = ledSource(light);
      led.force('State', '1');
      this.devices.set(light, led);
    }
    for (const [label, labels] of cfg.labels) {
      const device = this.device(label);
      this.stateLabels.set(label, new Map(labels));
      const count = device.properties.get('State')?.allowed?.length ?? labels.size;
      const names = Array.from({ length: count }, (_, i) => labels.get(i) ?? `State-${i}`);
      device.properties.set('Label', prop(names[Number(device.get('State'))] ?? names[0], { allowed: names }));
      this.stateLabels.set(label, new Map(names.map((n, i) => [i, n])));
    }
    for (const p of cfg.properties) this.setProperty(p.device, p.property, p.value);
    for (const [group, presets] of cfg.groups) this.groups.set(group, new Map([...presets].map(([k, v]) => [k, [...v]])));
    this.pixelSizes = cfg.pixelSizes;
    this.assignDefaultRoles();
    const startup = this.groups.get('System')?.get('Startup');
    if (startup) this.applySettings(startup);
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

  role(role: Role): string {
    return this.core.get(role);
  }

  setRole(role: Role, label: string): void {
    if (label !== '' && this.device(label).type !== ROLE_TYPES[role]) {
      throw new CoreError(`Device "${label}" is not a ${ROLE_TYPES[role]}`);
    }
    this.core.force(role, label);
  }

  getProperty(label: string, name: string): string {
    return this.device(label).get(name);
  }

  setProperty(label: string, name: string, value: string): void {
    const device = this.device(label);
    if (device === this.core && (ROLES as readonly string[]).includes(name)) {
      this.setRole(name as Role, value);
      return;
    }
    if (device.type === 'StateDevice' && name === 'Label') {
      this.setStateLabel(label, value);
      return;
    }
    device.set(name, value);
    if (device.type === 'StateDevice' && name === 'State') {
      device.force('Label', this.stateLabels.get(label)?.get(Number(value)) ?? `State-${value}`);
    }
  }

  setStateLabel(label: string, stateLabel: string): void {
    const device = this.device(label);
    const labels = this.stateLabels.get(label) ?? new Map<number, string>();
    const position = [...labels].find(([, l]) => l === stateLabel)?.[0];
    if (position === undefined) throw new CoreError(`Label "${stateLabel}" not defined for device "${label}"`);
    device.set('State', String(position));
    device.force('Label', stateLabel);
  }

  stateLabelsOf(label: string): string[] {
    const device = this.device(label);
    if (device.type !== 'StateDevice') throw new CoreError(`Device "${label}" is not a state device`);
    return [...(this.stateLabels.get(label) ?? new Map()).values()];
  }

  presets(group: string): Map<string, Array<{ device: string; property: string; value: string }>> {
    const presets = this.groups.get(group);
    if (!presets) throw new CoreError(`Configuration group "${group}" does not exist`);
    return presets;
  }

  setConfig(group: string, preset: string): void {
    const settings = this.presets(group).get(preset);
    if (!settings) throw new CoreError(`Preset "${preset}" does not exist in configuration group "${group}"`);
    this.applySettings(settings);
  }

  /** The preset whose every setting matches the current state, or "" (as MMCore answers). */
  currentConfig(group: string): string {
    for (const [name, settings] of this.presets(group)) {
      if (settings.length && settings.every((s) => this.getProperty(s.device, s.property) === s.value)) return name;
    }
    return '';
  }

  pixelSizeUm(): number {
    for (const preset of this.pixelSizes.values()) {
      if (preset.settings.every((s) => this.safeProperty(s.device, s.property) === s.value)) return preset.pixelSizeUm;
    }
    return 1;
  }

  currentPixelSizeConfig(): string {
    for (const preset of this.pixelSizes.values()) {
      if (preset.settings.every((s) => this.safeProperty(s.device, s.property) === s.value)) return preset.name;
    }
    return '';
  }

  /** Every device property as "Label-Property", the way MMCore tags images. */
  systemStateTags(): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const label of this.loadedDevices()) {
      const device = this.device(label);
      if (device.type === 'HubDevice') continue;
      for (const [name, p] of device.properties) {
        if (device === this.core && (name === 'Name' || name === 'Description')) continue;
        tags[`${label}-${name}`] = p.value;
      }
    }
    return tags;
  }

  private safeProperty(label: string, name: string): string | undefined {
    try {
      return this.getProperty(label, name);
    } catch {
      return undefined;
    }
  }

  private applySettings(settings: ReadonlyArray<{ device: string; property: string; value: string }>): void {
    for (const s of settings) this.setProperty(s.device, s.property, s.value);
  }

  private assignDefaultRoles(): void {
    for (const role of ROLES) {
      if (this.core.get(role)) continue;
      const first = [...this.devices.values()].find((d) => d.type === ROLE_TYPES[role] && d.library !== 'SimulatedLight');
      if (first) this.core.force(role, first.label);
    }
  }
}
