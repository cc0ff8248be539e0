/** A device of the simulated core: its label, library, type and properties, as MMCore models them. */

export type DeviceType =
  | 'CameraDevice'
  | 'ShutterDevice'
  | 'StateDevice'
  | 'StageDevice'
  | 'XYStageDevice'
  | 'AutoFocusDevice'
  | 'HubDevice'
  | 'CoreDevice'
  | 'GenericDevice';

export type PropertyType = 'String' | 'Float' | 'Integer';

export interface SimProperty {
  value: string;
  readonly type: PropertyType;
  readonly readOnly: boolean;
  readonly allowed?: readonly string[];
  readonly lower?: number;
  readonly upper?: number;
}

export class CoreError extends Error {
  override readonly name = 'CoreError';
}

export function prop(value: string | number, options: Partial<Omit<SimProperty, 'value'>> = {}): SimProperty {
  const type: PropertyType = options.type ?? (typeof value === 'number' ? (Number.isInteger(value) ? 'Integer' : 'Float') : 'String');
  const text = typeof value === 'number' && type === 'Float' ? value.toFixed(4) : String(value);
  return { value: text, type, readOnly: options.readOnly ?? false, allowed: options.allowed, lower: options.lower, upper: options.upper };
}

export class SimDevice {
  readonly properties = new Map<string, SimProperty>();
  /** Wall-clock time until which the device reports busy (stages in motion), ms. */
  busyUntilMs = 0;

  constructor(
    readonly label: string,
    readonly library: string,
    readonly adapter: string,
    readonly type: DeviceType,
    readonly description: string,
    properties: Record<string, SimProperty> = {},
  ) {
    this.properties.set('Name', prop(adapter, { readOnly: true }));
    this.properties.set('Description', prop(description, { readOnly: true }));
    for (const [name, p] of Object.entries(properties)) this.properties.set(name, p);
  }

  get(name: string): string {
    const p = this.properties.get(name);
    if (!p) throw new CoreError(`Property "${name}" not defined for device "${this.label}"`);
    return p.value;
  }

  number(name: string): number {
    return Number(this.get(name));
  }

  /** Sets a property after MMCore's checks: existence, read-only, allowed values, limits. */
  set(name: string, value: string): void {
    const p = this.properties.get(name);
    if (!p) throw new CoreError(`Property "${name}" not defined for device "${this.label}"`);
    if (p.readOnly) throw new CoreError(`Property "${name}" of device "${this.label}" is read-only`);
    if (p.allowed && p.allowed.length && !p.allowed.includes(value)) {
      throw new CoreError(`Invalid property value "${value}" for property "${name}" of device "${this.label}"`);
    }
    if (p.type !== 'String') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) {
        throw new CoreError(`Invalid property value "${value}" for property "${name}" of device "${this.label}"`);
      }
      if ((p.lower !== undefined && n < p.lower) || (p.upper !== undefined && n > p.upper)) {
        throw new CoreError(`Property "${name}" of device "${this.label}": value ${value} is out of range [${p.lower}, ${p.upper}]`);
      }
      p.value = p.type === 'Float' ? n.toFixed(4) : String(Math.round(n));
      return;
    }
    p.value = value;
  }

  /** Internal updates (positions, state) that bypass the read-only check. */
  force(name: string, value: string): void {
    const p = this.properties.get(name);
    if (p) p.value = value;
    else this.properties.set(name, prop(value));
  }

  isBusy(nowMs = Date.now()): boolean {
    return nowMs < this.busyUntilMs;
  }
}
