import type { ConfigGroups, DeviceProperties, PropertyDescription, PropertyProblem } from '../devices';
import type { LightGuard } from '../safety';
import type { MicroscopeCore } from './micro-manager-core';

const asNumber = (value: unknown) =>
  typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;

/** Micro-Manager's device properties, read over the bridge and written through the light guard. */
export class MicroManagerProperties implements DeviceProperties {
  constructor(
    private readonly core: MicroscopeCore,
    private readonly guard: () => LightGuard,
  ) {}

  loadedDevices = () => this.core.getLoadedDevices();
  has = (device: string, property: string) => this.core.hasProperty(device, property);
  get = (device: string, property: string) => this.core.getProperty(device, property);

  async describeAll(device: string): Promise<readonly PropertyDescription[]> {
    const described: PropertyDescription[] = [];
    for (const name of await this.core.getDevicePropertyNames(device)) {
      described.push({
        name,
        value: await this.core.getProperty(device, name),
        readOnly: await this.core.isPropertyReadOnly(device, name),
        allowedValues: await this.core.getAllowedPropertyValues(device, name),
        limits: (await this.core.getPropertyLimits(device, name)) ?? null,
      });
    }
    return described;
  }

  /** The checks Micro-Manager itself makes on a write (read-only, allowed values, limits), made before anything is sent. */
  async problem(
    device: string,
    property: string,
    value: unknown,
    options: { readonly range?: boolean } = {},
  ): Promise<PropertyProblem | undefined> {
    if (await this.core.isPropertyReadOnly(device, property)) return { field: 'name', message: `${device}.${property} is read-only` };
    if (options.range === false) return undefined;
    const allowed = await this.core.getAllowedPropertyValues(device, property);
    if (allowed.length > 0 && !allowed.includes(String(value))) {
      return { field: 'value', message: `${device}.${property} = ${JSON.stringify(value)} is not one of ${allowed.join(', ')}` };
    }
    const limits = await this.core.getPropertyLimits(device, property);
    const number = asNumber(value);
    if (limits && !(number >= limits.lower && number <= limits.upper)) {
      return {
        field: 'value',
        message: `${device}.${property} = ${JSON.stringify(value)} is not a number from ${limits.lower} to ${limits.upper}`,
      };
    }
    return undefined;
  }

  set = (device: string, property: string, value: string | number | boolean, origin: string) =>
    this.guard().setProperty(device, property, value, origin);
}

/** Micro-Manager's configuration groups; a preset is applied through the light guard. */
export class MicroManagerConfigGroups implements ConfigGroups {
  constructor(
    private readonly core: MicroscopeCore,
    private readonly guard: () => LightGuard,
  ) {}

  groups = () => this.core.getAvailableConfigGroups();
  presets = (group: string) => this.core.getAvailableConfigs(group);
  current = (group: string) => this.core.getCurrentConfig(group);

  async apply(group: string, preset: string, origin: string): Promise<void> {
    await this.guard().setConfig(group, preset, origin);
    await this.core.waitForConfig(group, preset);
  }
}
