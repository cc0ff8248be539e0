import { BehaviorSubject, filter, firstValueFrom, timeout } from 'rxjs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { URL } from 'node:url';
import { SCOPE_CONFIG } from '../config/config.module';
import type { ScopeConfig } from '../config/config.schema';
import type { Camera, Image } from './devices';
import { SimulatorProcess } from './simulation/simulator-process';
import { connectMicroManager, MicroManagerCamera, MicroManagerLightSource, type MicroManagerCore, type MicroscopeCore, type ConnectionState } from './micro-manager';
import { LightGuard, maxPowerPercentFor, SafeLightSource, type WatchedLightProperty } from './safety';
import { CoolLedPe4000 } from './serial';
import type { LightSource } from './devices';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Light the simulation starts with on channel 0 (through the envelope like any other command). */
const SIMULATION_START_LIGHT_PERCENT = 20;

export class HardwareNotReadyError extends Error {
  override readonly name = 'HardwareNotReadyError';
}

/** Whether the service controls illumination, which device, and if not, why. */
export interface IlluminationControl {
  readonly controlled: boolean;
  readonly label: string | null;
  readonly reason?: string;
}

export interface DeviceSummary {
  readonly label: string;
  readonly type: string;
  readonly library?: string;
}

/**
 * Owns the connection to Micro-Manager (real, or the simulator it starts in simulation mode) and hands out
 * device objects. Nothing above this module talks to the bridge directly.
 */
@Injectable()
export class HardwareService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Hardware');
  private simulator?: SimulatorProcess;
  private serialEmulator?: SimulatorProcess;
  /** Device path of the emulated pE-4000 in simulation mode. */
  private emulatedSerialPath?: string;
  private serialLight?: CoolLedPe4000;
  private core?: MicroManagerCore;
  private state: ConnectionState = 'disconnected';
  private inventory: readonly DeviceSummary[] = [];
  private pixelSize = 1;
  private camera?: MicroManagerCamera;
  private safeLight?: SafeLightSource;
  private guard?: LightGuard;
  private illumination: IlluminationControl = { controlled: false, label: null, reason: 'not connected yet' };
  /** Connected and the device inventory, camera and light source read: acquisitions may start. */
  private readonly readySubject = new BehaviorSubject(false);

  constructor(@Inject(SCOPE_CONFIG) private readonly config: ScopeConfig) {}

  async onModuleInit(): Promise<void> {
    const { endpoint } = this.config.microManager;
    if (this.config.simulation.enabled && this.config.simulation.serialLightSource) await this.startSerialEmulator();
    if (this.config.simulation.enabled) await this.startSimulator(endpoint);
    const core = connectMicroManager({
      endpoint,
      timeoutMs: this.config.microManager.timeoutMs,
      reconnectMaxDelayMs: this.config.microManager.reconnectMaxDelayMs,
    });
    this.core = core;
    core.state$.subscribe((state) => {
      if (state === this.state) return;
      this.state = state;
      if (state !== 'connected') this.readySubject.next(false);
      this.logger.log({ msg: `Micro-Manager ${state}`, endpoint, state });
      if (state === 'connected') void this.refreshInventory();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.guard?.dispose();
    this.safeLight?.dispose();
    await this.serialLight?.close();
    await this.core?.close();
    await this.simulator?.stop();
    await this.serialEmulator?.stop();
  }

  isReady(): boolean {
    return this.readySubject.value;
  }

  /** Resolves once the hardware is ready; rejects with HardwareNotReadyError after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<void> {
    return firstValueFrom(this.readySubject.pipe(filter(Boolean), timeout({ first: timeoutMs }))).then(
      () => undefined,
      () => {
        throw new HardwareNotReadyError(`Micro-Manager at ${this.config.microManager.endpoint} not ready within ${timeoutMs} ms (state: ${this.state})`);
      },
    );
  }

  connection() {
    return {
      endpoint: this.config.microManager.endpoint,
      state: this.state,
      /** Devices, camera and light source read: acquisitions may start. */
      ready: this.isReady(),
      simulatorPid: this.simulator?.pid ?? null,
      lightSource: this.safeLight ? { label: this.safeLight.label, path: this.serialLight ? (this.emulatedSerialPath ?? 'serial') : 'micro-manager' } : null,
      illumination: this.illumination,
    };
  }

  /** The light-controlling devices and properties the guard watches, and what it does beyond the limit. */
  lightWatch(): { readonly policy: string; readonly watched: readonly WatchedLightProperty[] } | null {
    return this.guard ? { policy: this.guard.policy, watched: this.guard.watched() } : null;
  }

  /** The one gate for property writes and presets: light-controlling ones are held within the limits. */
  lightGuard(): LightGuard {
    if (!this.guard) throw new HardwareNotReadyError(`the light guard is not ready: Micro-Manager is ${this.state}`);
    return this.guard;
  }

  devices(): readonly DeviceSummary[] {
    return this.inventory;
  }

  /** The light source behind the safety envelope: the only way any code may change illumination. */
  light(): SafeLightSource | undefined {
    return this.safeLight;
  }

  pixelSizeUm(): number {
    return this.pixelSize;
  }

  requireCore(): MicroscopeCore {
    if (!this.core) throw new HardwareNotReadyError('the hardware module has not started yet');
    return this.core;
  }

  /** The current camera, resolved at each call so that a reconnect or a camera change is followed. */
  liveCamera(): Camera {
    const current = () => {
      if (!this.camera) throw new HardwareNotReadyError(`no camera yet: Micro-Manager is ${this.state}`);
      return this.camera;
    };
    return {
      get label() {
        try {
          return current().label;
        } catch {
          return 'Camera';
        }
      },
      getExposureMs: () => current().getExposureMs(),
      setExposureMs: (ms: number) => current().setExposureMs(ms),
      snap: (): Promise<Image> => current().snap(),
    };
  }

  private async startSimulator(endpoint: string): Promise<void> {
    const url = new URL(endpoint.replace(/^tcp:/, 'http:'));
    const sim = this.config.simulation;
    const args = ['--host', url.hostname, '--port', url.port, '--seed', String(sim.seed)];
    if (sim.microManagerConfig) args.push('--config', sim.microManagerConfig);
    if (sim.lightLogFile) args.push('--light-log', sim.lightLogFile);
    // The specimen then receives the light the emulated pE-4000 emits, as commanded over serial.
    if (this.emulatedSerialPath) args.push('--light-state-file', `${this.emulatedSerialPath}.state.json`);
    this.simulator = new SimulatorProcess({
      entry: 'simulators/micro-manager/main.ts',
      args,
      host: url.hostname,
      port: Number(url.port),
      onOutput: (line) => this.logger.debug({ msg: line, source: 'simulator' }),
    });
    await this.simulator.start();
    this.logger.log({ msg: `simulated Micro-Manager started on ${endpoint}`, pid: this.simulator.pid });
  }

  private async refreshInventory(): Promise<void> {
    const core = this.core!;
    try {
      if (this.config.simulation.enabled) await this.applySimulatedCameraSize(core);
      const labels = await core.getLoadedDevices();
      const inventory: DeviceSummary[] = [];
      for (const label of labels) {
        inventory.push({ label, type: await core.getDeviceType(label), library: await core.getDeviceLibrary(label) });
      }
      this.inventory = inventory;
      this.pixelSize = await core.getPixelSizeUm();
      const cameraLabel = await core.getCameraDevice();
      this.camera = cameraLabel ? new MicroManagerCamera(core, cameraLabel) : undefined;
      if (this.camera) await this.camera.setExposureMs(this.config.live.exposureMs);
      await this.wrapLightSource(core, labels);
      this.readySubject.next(this.state === 'connected');
      this.logger.log({ msg: `${inventory.length} devices loaded`, devices: inventory.map((d) => d.label) });
    } catch (err) {
      this.logger.warn({ msg: `could not read the device list: ${(err as Error).message}`, error: (err as Error).name });
    }
  }

  private async startSerialEmulator(): Promise<void> {
    const link = join(mkdtempSync(join(tmpdir(), 'scope-serial-')), 'ttyLED');
    const emulator = new SimulatorProcess({
      entry: 'simulators/serial-light-source/main.ts',
      args: ['--link', link, ...(this.config.simulation.lightLogFile ? ['--light-log', this.config.simulation.lightLogFile] : [])],
      readyLine: /emulated pE-4000 ready/,
      onOutput: (line) => this.logger.debug({ msg: line, source: 'serial-emulator' }),
    });
    try {
      await emulator.start();
      this.serialEmulator = emulator;
      this.emulatedSerialPath = link;
      this.logger.log({ msg: `emulated pE-4000 on ${link}`, pid: emulator.pid });
    } catch (err) {
      await emulator.stop();
      this.logger.warn({ msg: `no emulated serial light source (${(err as Error).message.split('\n')[0]}); using the Micro-Manager LED` });
    }
  }

  /** The light source the configuration names: the serial pE-4000 (emulated in simulation) or a Micro-Manager device. */
  private async openLightSource(core: MicroManagerCore, labels: readonly string[]): Promise<LightSource | undefined> {
    const serialConfig = this.emulatedSerialPath
      ? { ...(this.config.hardware.serialLightSource ?? {}), port: { path: this.emulatedSerialPath } }
      : this.config.hardware.lightSource === 'serial'
        ? this.config.hardware.serialLightSource
        : null;
    if (serialConfig) {
      this.serialLight ??= await CoolLedPe4000.open(serialConfig, this.logger);
      return this.serialLight;
    }
    const label = await this.pickLightSourceLabel(core, labels);
    return label ? new MicroManagerLightSource(core, label) : undefined;
  }

  /**
   * The configured Micro-Manager light source, or, when the configuration does not load it, the one shutter-type
   * device with Intensity and State that it does load. Anything else leaves illumination uncontrolled, said loudly.
   */
  private async pickLightSourceLabel(core: MicroManagerCore, labels: readonly string[]): Promise<string | undefined> {
    const configured = this.config.hardware.lightSource;
    if (!configured) {
      this.illumination = { controlled: false, label: null, reason: 'hardware.lightSource is null' };
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
      this.logger.warn({ msg: `light source "${configured}" is not loaded; driving "${candidates[0]}", the configuration's only shutter with Intensity` });
      return candidates[0];
    }
    const reason =
      `hardware.lightSource "${configured}" is not among the loaded devices (${labels.join(', ')}) and ` +
      (candidates.length ? `several could be it (${candidates.join(', ')}): name one` : 'no shutter-type device has Intensity and State: name one, or "serial"');
    this.illumination = { controlled: false, label: null, reason };
    this.logger.warn({ msg: `illumination control is OFF: ${reason}` });
    return undefined;
  }

  /** Builds the envelope and the guard for this connection, then swaps them in: the service is never without a guard. */
  private async wrapLightSource(core: MicroManagerCore, labels: readonly string[]): Promise<void> {
    const source = await this.openLightSource(core, labels);
    let safeLight: SafeLightSource | undefined;
    if (source) {
      safeLight = new SafeLightSource(source, this.config.safety.light, { logger: this.logger });
      await safeLight.initialize();
    }
    const limits = this.config.safety.light;
    const guard = await LightGuard.learn({ core, light: safeLight, policy: limits.overLimit, logger: this.logger }, maxPowerPercentFor(limits, 0));
    await guard.holdWithinLimits('start-up');
    this.guard?.dispose();
    this.safeLight?.dispose();
    [this.guard, this.safeLight] = [guard, safeLight];
    if (source) this.illumination = { controlled: true, label: source.label };
    this.logger.log({ msg: `light guard watches ${guard.watched().length} properties`, watched: guard.watched().map((w) => `${w.device}.${w.property} (${w.kind})`) });
    // The simulated specimen is visible in the live view from the start; real light stays off until asked for.
    if (safeLight && this.config.simulation.enabled) {
      await safeLight.setPowerPercent(0, SIMULATION_START_LIGHT_PERCENT, 'simulation start');
      await safeLight.setChannelOn(0, true, 'simulation start');
    }
  }

  private async applySimulatedCameraSize(core: MicroManagerCore): Promise<void> {
    const camera = await core.getCameraDevice();
    await core.setProperty(camera, 'OnCameraCCDXSize', String(this.config.simulation.cameraWidthPx));
    await core.setProperty(camera, 'OnCameraCCDYSize', String(this.config.simulation.cameraHeightPx));
  }
}
