import { Logger, type LoggerService } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { PresetSetting } from '../micro-manager';
import type { ClampEvent } from './clamp-event';
import { describeRequested } from './clamp-event';
import { learnLightPath, type LearnedLightPath, type LightPathReader, type WatchedLightProperty } from './light-watch';
import type { SafeLightSource } from './safe-light-source';
import { maxPowerPercentFor } from './safety-limits';

/** A command for more light than the limits allow, refused (`safety.light.overLimit: refuse`); nothing was sent. */
export class LightLimitError extends Error {
  override readonly name = 'LightLimitError';
}

export type OverLimitPolicy = 'clamp' | 'refuse';

/** What the guard writes through: the properties and presets of the microscope. */
export interface LightPathWriter extends LightPathReader {
  getProperty(label: string, name: string): Promise<string>;
  setProperty(label: string, name: string, value: string | number | boolean): Promise<void>;
  setConfig(group: string, preset: string): Promise<void>;
}

export interface LightGuardOptions {
  readonly core: LightPathWriter;
  /** The configured light source behind its envelope, when there is one. */
  readonly light?: SafeLightSource;
  readonly policy: OverLimitPolicy;
  readonly logger?: Pick<LoggerService, 'warn' | 'log'>;
  readonly now?: () => number;
}

/** Where a write would take a watched property: its value, and why not the one asked for. */
interface Admission {
  readonly value: string | number | boolean;
  readonly overLimit?: string;
}

const truthy = (value: unknown) =>
  value === true || value === 1 || (typeof value === 'string' && ['1', 'on', 'true', 'open'].includes(value.trim().toLowerCase()));

/**
 * The one gate for light in Micro-Manager: every property write and preset that any caller (plan, REST, socket,
 * agent, model, autofocus) makes goes through it. It knows, from the loaded configuration, which properties control
 * light; the configured light source's power and on/off go through its safety envelope, other power properties are
 * held under the same maximum, scaled to their range. Beyond the limit a command is clamped or refused, as
 * configured, and logged with who asked; a value that is not a number means no light.
 */
export class LightGuard {
  private readonly clampSubject = new Subject<ClampEvent>();
  readonly clamps$: Observable<ClampEvent> = this.clampSubject.asObservable();
  private readonly logger: Pick<LoggerService, 'warn' | 'log'>;
  private readonly now: () => number;

  private constructor(
    private readonly options: LightGuardOptions,
    private readonly path: LearnedLightPath,
  ) {
    this.logger = options.logger ?? new Logger('LightGuard');
    this.now = options.now ?? Date.now;
  }

  /** Learns the light path from the loaded configuration (call again after a reconnect or a new configuration). */
  static async learn(options: LightGuardOptions, maxPowerPercent: number): Promise<LightGuard> {
    const path = await learnLightPath(options.core, options.light?.label, maxPowerPercent);
    return new LightGuard(options, path);
  }

  get policy(): OverLimitPolicy {
    return this.options.policy;
  }

  watched(): readonly WatchedLightProperty[] {
    return this.path.watched;
  }

  /** Why setting this value would exceed the limits, or undefined when it would not. */
  overLimit(device: string, property: string, value: unknown): string | undefined {
    const watch = this.find(device, property);
    return watch ? this.admit(watch, value).overLimit : undefined;
  }

  /** Why applying this preset would exceed the limits (naming the setting), or undefined. */
  async presetOverLimit(group: string, preset: string): Promise<string | undefined> {
    for (const s of await this.settingsOf(group, preset)) {
      const problem = this.overLimit(s.device, s.property, s.value);
      if (problem) return `preset ${group}/${preset} sets ${problem}`;
    }
    return undefined;
  }

  async setProperty(device: string, property: string, value: string | number | boolean, origin: string): Promise<void> {
    const watch = this.find(device, property);
    if (!watch) return this.options.core.setProperty(device, property, value);
    const admission = this.admit(watch, value);
    if (admission.overLimit && this.policy === 'refuse') {
      this.report(watch, value, admission.value, `refused: ${admission.overLimit}`, origin);
      throw new LightLimitError(`${admission.overLimit}; refused (safety.light.overLimit is refuse)`);
    }
    const light = this.options.light;
    if (watch.viaEnvelope && light) {
      if (watch.kind === 'power') await light.commandPowerPercent(0, Number(value), origin);
      else await light.commandChannelOn(0, truthy(value), origin);
      return;
    }
    if (admission.overLimit) this.report(watch, value, admission.value, admission.overLimit, origin);
    await this.options.core.setProperty(device, property, admission.value);
  }

  /** Applies a preset; one that sets light power or the light source is applied setting by setting through the guard. */
  async setConfig(group: string, preset: string, origin: string): Promise<void> {
    const settings = await this.settingsOf(group, preset);
    // Only power (which may need clamping) and the envelope's own source (whose state it books) need taking apart;
    // a preset that switches filters or shutters is applied by Micro-Manager as one configuration, as before.
    const needsGuard = (d: string, p: string) => {
      const watch = this.find(d, p);
      return watch !== undefined && (watch.kind === 'power' || watch.viaEnvelope);
    };
    if (!settings.some((s) => needsGuard(s.device, s.property))) return this.options.core.setConfig(group, preset);
    if (this.policy === 'refuse') {
      const problem = await this.presetOverLimit(group, preset);
      if (problem) {
        this.logger.warn({ msg: 'light preset refused', problem, origin });
        throw new LightLimitError(`${problem}; refused (safety.light.overLimit is refuse)`);
      }
    }
    for (const s of settings) await this.setProperty(s.device, s.property, s.value, `${origin} via preset ${group}/${preset}`);
  }

  /** Brings every watched power property found above its limit down to it (the envelope does its own source). */
  async holdWithinLimits(origin: string): Promise<void> {
    for (const watch of this.path.watched) {
      if (watch.kind !== 'power' || watch.viaEnvelope) continue;
      const found = await this.options.core.getProperty(watch.device, watch.property);
      const admission = this.admit(watch, found);
      if (!admission.overLimit) continue;
      this.report(watch, found, admission.value, `found ${admission.overLimit}`, origin);
      await this.options.core.setProperty(watch.device, watch.property, admission.value);
    }
  }

  dispose(): void {
    this.clampSubject.complete();
  }

  private find(device: string, property: string): WatchedLightProperty | undefined {
    return this.path.watched.find((w) => w.device === device && w.property === property);
  }

  private async settingsOf(group: string, preset: string): Promise<readonly PresetSetting[]> {
    return this.path.presets.get(`${group}/${preset}`) ?? (await this.options.core.getConfigData(group, preset));
  }

  private admit(watch: WatchedLightProperty, value: unknown): Admission {
    if (watch.kind !== 'power') return { value: value as string | number | boolean };
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    const range = watch.range!;
    const max = watch.viaEnvelope && this.options.light ? maxPowerPercentFor(this.options.light.limits, 0) : watch.maxValue!;
    const name = `${watch.device}.${watch.property}`;
    if (!Number.isFinite(number))
      return { value: range.lower, overLimit: `${name} = ${String(describeRequested(value))} is not a number: no light` };
    if (number > max)
      return {
        value: max,
        overLimit: `${name} = ${number} is above its limit of ${max}${watch.rangeAssumed ? ' (range read as percent)' : ` (of ${range.lower}–${range.upper})`}`,
      };
    if (number < range.lower) return { value: range.lower };
    return { value: number };
  }

  private report(
    watch: WatchedLightProperty,
    requested: unknown,
    applied: string | number | boolean,
    detail: string,
    origin: string,
  ): void {
    const event: ClampEvent = {
      source: watch.device,
      channel: null,
      reason: 'max-power',
      requested: describeRequested(requested),
      applied: typeof applied === 'number' ? applied : this.policy === 'refuse' ? false : Number(applied),
      limit: watch.maxValue,
      detail: `${watch.property}: ${detail}`,
      origin,
      at: new Date(this.now()).toISOString(),
    };
    this.logger.warn({ msg: 'light property clamped', ...event });
    this.clampSubject.next(event);
  }
}
