import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { URL } from 'node:url';
import { SCOPE_CONFIG } from '../config/config.module';
import type { ScopeConfig } from '../config/config.schema';
import type { Camera, Image } from './devices';
import { SimulatorProcess } from './simulation/simulator-process';
import { connectMicroManager, MicroManagerCamera, MicroManagerLightSource, type MicroManagerCore, type ConnectionState } from './micro-manager';
import { SafeLightSource } from './safety';

export class HardwareNotReadyError extends Error {
  override readonly name = 'HardwareNotReadyError';
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
  private core?: MicroManagerCore;
  private state: ConnectionState = 'disconnected';
  private inventory: readonly DeviceSummary[] = [];
  private pixelSize = 1;
  private camera?: MicroManagerCamera;
  private safeLight?: SafeLightSource;

  constructor(@Inject(SCOPE_CONFIG) private readonly config: ScopeConfig) {}

  async onModuleInit(): Promise<void> {
    const { endpoint } = this.config.microManager;
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
      this.logger.log({ msg: `Micro-Manager ${state}`, endpoint, state });
      if (state === 'connected') void this.refreshInventory();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.safeLight?.dispose();
    await this.core?.close();
    await this.simulator?.stop();
  }

  connection() {
    return {
      endpoint: this.config.microManager.endpoint,
      state: this.state,
      simulatorPid: this.simulator?.pid ?? null,
    };
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

  requireCore(): MicroManagerCore {
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
    const core = this.requireCore();
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
      this.logger.log({ msg: `${inventory.length} devices loaded`, devices: inventory.map((d) => d.label) });
    } catch (err) {
      this.logger.warn({ msg: `could not read the device list: ${(err as Error).message}`, error: (err as Error).name });
    }
  }

  private async wrapLightSource(core: MicroManagerCore, labels: readonly string[]): Promise<void> {
    const label = this.config.hardware.lightSource;
    this.safeLight?.dispose();
    this.safeLight = undefined;
    if (!label) return;
    if (!labels.includes(label)) {
      this.logger.warn({ msg: `light source "${label}" is not among the loaded devices; illumination control is off`, devices: labels });
      return;
    }
    this.safeLight = new SafeLightSource(new MicroManagerLightSource(core, label), this.config.safety.light, { logger: this.logger });
    await this.safeLight.initialize();
    this.safeLight.clamps$.subscribe((clamp) => this.logger.warn({ msg: 'illumination command clamped', ...clamp }));
  }

  private async applySimulatedCameraSize(core: MicroManagerCore): Promise<void> {
    const camera = await core.getCameraDevice();
    await core.setProperty(camera, 'OnCameraCCDXSize', String(this.config.simulation.cameraWidthPx));
    await core.setProperty(camera, 'OnCameraCCDYSize', String(this.config.simulation.cameraHeightPx));
  }
}
