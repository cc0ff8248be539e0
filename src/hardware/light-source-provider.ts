import { Inject, Injectable, Logger } from '@nestjs/common';
import { SCOPE_CONFIG } from '../config/config.module';
import type { HardwareSettings } from './hardware.config';
import type { LightSource } from './devices';
import { MicroManagerLightSource, type MicroManagerCore } from './micro-manager';
import { LightGuard, maxPowerPercentFor, SafeLightSource, type WatchedLightProperty } from './safety';
import { CoolLedPe4000 } from './serial';

/** Light the simulation starts with on channel 0 (through the envelope like any other command). */
const SIMULATION_START_LIGHT_PERCENT = 20;

/** Whether the service controls illumination, which device, and if not, why. */
export interface IlluminationControl {
  readonly controlled: boolean;
  readonly label: string | null;
  readonly reason?: string;
}

/**
 * The light source the configuration names (the serial pE-4000, emulated in simulation, or a Micro-Manager device)
 * behind its safety envelope, and the light guard learned from the loaded configuration: rebuilt at each
 * connection, swapped in whole, so that the service is never without a guard.
 */
@Injectable()
export class LightSourceProvider {
  private readonly logger = new Logger('Light');
  private serialLight?: CoolLedPe4000;
  private safeLight?: SafeLightSource;
  private guard?: LightGuard;
  /** The emulated pE-4000's device path in simulation mode. */
  private serialPath?: string;
  private control: IlluminationControl = { controlled: false, label: null, reason: 'not connected yet' };

  constructor(@Inject(SCOPE_CONFIG) private readonly config: HardwareSettings) {}

  get light(): SafeLightSource | undefined {
    return this.safeLight;
  }

  get lightGuard(): LightGuard | undefined {
    return this.guard;
  }

  get illumination(): IlluminationControl {
    return this.control;
  }

  /** Where the light source is: its serial path, or Micro-Manager; null without one. */
  describe(): { readonly label: string; readonly path: string } | null {
    if (!this.safeLight) return null;
    return { label: this.safeLight.label, path: this.serialLight ? (this.serialPath ?? 'serial') : 'micro-manager' };
  }

  watch(): { readonly policy: string; readonly watched: readonly WatchedLightProperty[] } | null {
    return this.guard ? { policy: this.guard.policy, watched: this.guard.watched() } : null;
  }

  /** Builds the envelope and the guard for a new connection, then swaps them in. `serialPath`: the emulated pE-4000. */
  async connect(core: MicroManagerCore, labels: readonly string[], serialPath?: string): Promise<void> {
    this.serialPath = serialPath;
    const source = await this.open(core, labels);
    let safeLight: SafeLightSource | undefined;
    if (source) {
      safeLight = new SafeLightSource(source, this.config.safety.light, { logger: this.logger });
      await safeLight.initialize();
    }
    const limits = this.config.safety.light;
    const guard = await LightGuard.learn(
      { core, light: safeLight, policy: limits.overLimit, logger: this.logger },
      maxPowerPercentFor(limits, 0),
    );
    await guard.holdWithinLimits('start-up');
    this.guard?.dispose();
    this.safeLight?.dispose();
    [this.guard, this.safeLight] = [guard, safeLight];
    if (source) this.control = { controlled: true, label: source.label };
    this.logger.log({
      msg: `light guard watches ${guard.watched().length} properties`,
      watched: guard.watched().map((w) => `${w.device}.${w.property} (${w.kind})`),
    });
    // The simulated specimen is visible in the live view from the start; real light stays off until asked for.
    if (safeLight && this.config.simulation.enabled) {
      await safeLight.setPowerPercent(0, SIMULATION_START_LIGHT_PERCENT, 'simulation start');
      await safeLight.setChannelOn(0, true, 'simulation start');
    }
  }

  async close(): Promise<void> {
    this.guard?.dispose();
    this.safeLight?.dispose();
    await this.serialLight?.close();
  }

  private async open(core: MicroManagerCore, labels: readonly string[]): Promise<LightSource | undefined> {
    const serialConfig = this.serialPath
      ? { ...(this.config.hardware.serialLightSource ?? {}), port: { path: this.serialPath } }
      : this.config.hardware.lightSource === 'serial'
        ? this.config.hardware.serialLightSource
        : null;
    if (serialConfig) {
      this.serialLight ??= await CoolLedPe4000.open(serialConfig, this.logger);
      return this.serialLight;
    }
    const label = await this.pickLabel(core, labels);
    return label ? new MicroManagerLightSource(core, label) : undefined;
  }

  /**
   * The configured Micro-Manager light source, or, when the configuration does not load it, the one shutter-type
   * device with Intensity and State that it does load. Anything else leaves illumination uncontrolled, said loudly.
   */
  private async pickLabel(core: MicroManagerCore, labels: readonly string[]): Promise<string | undefined> {
    const configured = this.config.hardware.lightSource;
    if (!configured) {
      this.control = { controlled: false, label: null, reason: 'hardware.lightSource is null' };
      return undefined;
    }
    if (labels.includes(configured)) return configured;
    const candidates: string[] = [];
    for (const label of labels) {
      if ((await core.getDeviceType(label)) !== 'ShutterDevice') continue;
      const names = await core.getDevicePropertyNames(label);
      if (names.includes('Intensity') && names.includes('State')) candidates.push(label);
    }
    if (candidates.length === 1) {
      this.logger.warn({
        msg: `light source "${configured}" is not loaded; driving "${candidates[0]}", the configuration's only shutter with Intensity`,
      });
      return candidates[0];
    }
    const reason =
      `hardware.lightSource "${configured}" is not among the loaded devices (${labels.join(', ')}) and ` +
      (candidates.length
        ? `several could be it (${candidates.join(', ')}): name one`
        : 'no shutter-type device has Intensity and State: name one, or "serial"');
    this.control = { controlled: false, label: null, reason };
    this.logger.warn({ msg: `illumination control is OFF: ${reason}` });
    return undefined;
  }
}
