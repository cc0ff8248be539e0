/** A device of the simulated core: label, library, adapter name, type and properties, as MMCore models them. */
import { CoreError } from './java-errors';
import type { DeviceType, PropertyType } from './java-enums';

export { CoreError };
export type { DeviceType, PropertyType };

export interface SimProperty {
  value: string;
  readonly type: Exclude<PropertyType, 'Undef'>;
  readonly readOnly: boolean;
  readonly allowed?: readonly string[];
  readonly lower?: number;
  readonly upper?: number;
  /** Digits after the point of a Float property's text (MMDevice's FloatProperty writes 4). */
  readonly decimals?: number;
}

export interface PropertyOptions {
  readonly type?: SimProperty['type'];
  readonly readOnly?: boolean;
  readonly allowed?: readonly string[];
  readonly lower?: number;
  readonly upper?: number;
  readonly decimals?: number;
}

function formatValue(value: number, type: SimProperty['type'], decimals = 4): string {
  return type === 'Float' ? value.toFixed(decimals) : String(Math.trunc(value));
}

export function prop(value: string | number, options: PropertyOptions = {}): SimProperty {
  const type = options.type ?? (typeof value === 'number' ? (Number.isInteger(value) ? 'Integer' : 'Float') : 'String');
  const text = typeof value === 'number' ? formatValue(value, type, options.decimals) : value;
  return { value: text, type, readOnly: options.readOnly ?? false, ...options };
}

export class SimDevice {
  /** Sorted by name, as MMDevice's property map keeps them. */
  readonly properties = new Map<string, SimProperty>();
  /** Wall-clock time (ms since epoch) until which the device reports busy, e.g. a stage in motion. */
  busyUntilMs = 0;
  /** Position of an XY stage, µm (the demo XY stage has no position property). */
  xyUm = { x: 0, y: 0 };
  /** Position of a focus stage, µm (its Position property shows it with 4 decimals). */
  zUm = 0;
  /** State labels of a state device, by position. */
  readonly stateLabels = new Map<number, string>();

  constructor(
    readonly label: string,
    readonly library: string,
    readonly adapter: string,
    readonly type: DeviceType,
    readonly description: string,
    properties: Record<string, SimProperty> = {},
  ) {
    const all: Record<string, SimProperty> = { ...properties };
    if (type !== 'HubDevice' && type !== 'CoreDevice') {
      all.Name = prop(adapter, { readOnly: true });
      all.Description = prop(description, { readOnly: true });
    }
    for (const name of Object.keys(all).sort()) this.properties.set(name, all[name]);
  }

  property(name: string): SimProperty {
    const p = this.properties.get(name);
    if (!p) throw new CoreError(`Property "${name}" not defined for device "${this.label}"`);
    return p;
  }

  get(name: string): string {
    return this.property(name).value;
  }

  number(name: string): number {
    return Number(this.get(name));
  }

  /** Sets a property after MMDevice's checks: existence, read-only, allowed values, numeric limits. */
  set(name: string, value: string): void {
    const p = this.property(name);
    if (p.readOnly) throw new CoreError(`Property "${name}" of device "${this.label}" is read-only`);
    const invalid = () => new CoreError(`Invalid property value "${value}" for property "${name}" of device "${this.label}"`);
    if (p.type !== 'String') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw invalid();
      const text = formatValue(n, p.type, p.decimals);
      if (p.allowed?.length && !p.allowed.includes(text) && !p.allowed.includes(value)) throw invalid();
      if ((p.lower !== undefined && n < p.lower) || (p.upper !== undefined && n > p.upper)) {
        throw new CoreError(
          `Invalid property value "${value}" for property "${name}" of device "${this.label}": out of range [${p.lower}, ${p.upper}]`,
        );
      }
      p.value = p.allowed?.includes(value) ? value : text;
      return;
    }
    if (p.allowed?.length && !p.allowed.includes(value)) throw invalid();
    p.value = value;
  }

  /** The device's own updates (position readouts, labels following states): no read-only or range checks. */
  force(name: string, value: string): void {
    const p = this.properties.get(name);
    if (p) p.value = value;
    else {
      this.properties.set(name, prop(value));
      const sorted = [...this.properties.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.properties.clear();
      for (const [key, entry] of sorted) this.properties.set(key, entry);
    }
  }

  isBusy(nowMs = Date.now()): boolean {
    return nowMs < this.busyUntilMs;
  }
}
