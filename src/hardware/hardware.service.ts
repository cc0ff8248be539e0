import { BehaviorSubject, filter, firstValueFrom, timeout } from 'rxjs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SCOPE_CONFIG } from '../config/config.module';
import type { HardwareSettings } from './hardware.config';
import type { Camera, ConfigGroups, DeviceProperties, Image, XYStage, ZStage } from './devices';
import { LightSourceProvider } from './light-source-provider';
import {
  connectMicroManager,
  MicroManagerCamera,
  MicroManagerXYStage,
  MicroManagerZStage,
  type ConnectionState,
  type ImageGeometry,
  type MicroManagerCore,
  type MicroscopeCore,
} from './micro-manager';
import { MicroManagerConfigGroups, MicroManagerProperties } from './micro-manager/micro-manager-properties';
import type { LightGuard, SafeLightSource, WatchedLightProperty } from './safety';
import { SimulatedHardware } from './simulation/simulated-hardware';

export class HardwareNotReadyError extends Error {
  override readonly name = 'HardwareNotReadyError';
}

export type { IlluminationControl } from './light-source-provider';

export interface DeviceSummary {
  readonly label: string;
  readonly type: string;
  readonly library?: string;
}

/**
 * Owns the connection to Micro-Manager (real, or the simulators SimulatedHardware starts) and its inventory, and
 * hands out device objects and the light guard (LightSourceProvider's). Nothing above this module talks to the
 * bridge directly.
 */
@Injectable()
export class HardwareService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Hardware');
  private core?: MicroManagerCore;
  private state: ConnectionState = 'disconnected';
  private inventory: readonly DeviceSummary[] = [];
  private pixelSize = 1;
  private camera?: MicroManagerCamera;
  /** Connected and the device inventory, camera and light source read: acquisitions may start. */
  private readonly readySubject = new BehaviorSubject(false);

  constructor(
    @Inject(SCOPE_CONFIG) private readonly config: HardwareSettings,
    private readonly simulated: SimulatedHardware,
    private readonly lightSources: LightSourceProvider,
  ) {}

  async onModuleInit(): Promise<void> {
    const { endpoint } = this.config.microManager;
    await this.simulated.start();
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
    await this.lightSources.close();
    await this.core?.close();
    await this.simulated.stop();
  }

  isReady(): boolean {
    return this.readySubject.value;
  }

  /** Resolves once the hardware is ready; rejects with HardwareNotReadyError after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<void> {
    return firstValueFrom(this.readySubject.pipe(filter(Boolean), timeout({ first: timeoutMs }))).then(
      () => undefined,
      () => {
        throw new HardwareNotReadyError(
          `Micro-Manager at ${this.config.microManager.endpoint} not ready within ${timeoutMs} ms (state: ${this.state})`,
        );
      },
    );
  }

  connection() {
    return {
      endpoint: this.config.microManager.endpoint,
      state: this.state,
      /** Devices, camera and light source read: acquisitions may start. */
      ready: this.isReady(),
      simulatorPid: this.simulated.simulatorPid,
      lightSource: this.lightSources.describe(),
      illumination: this.lightSources.illumination,
    };
  }

  /** The light-controlling devices and properties the guard watches, and what it does beyond the limit. */
  lightWatch(): { readonly policy: string; readonly watched: readonly WatchedLightProperty[] } | null {
    return this.lightSources.watch();
  }

  /** The one gate for property writes and presets: light-controlling ones are held within the limits. */
  lightGuard(): LightGuard {
    const guard = this.lightSources.lightGuard;
    if (!guard) throw new HardwareNotReadyError(`the light guard is not ready: Micro-Manager is ${this.state}`);
    return guard;
  }

  devices(): readonly DeviceSummary[] {
    return this.inventory;
  }

  /** The light source behind the safety envelope: the only way any code may change illumination. */
  light(): SafeLightSource | undefined {
    return this.lightSources.light;
  }

  pixelSizeUm(): number {
    return this.pixelSize;
  }

  /** For the Micro-Manager acquisition engine only: everything else uses the device interfaces below. */
  requireCore(): MicroscopeCore {
    if (!this.core) throw new HardwareNotReadyError('the hardware module has not started yet');
    return this.core;
  }

  /** Device properties; writes go through the light guard. */
  properties(): DeviceProperties {
    return new MicroManagerProperties(this.requireCore(), () => this.lightGuard());
  }

  configGroups(): ConfigGroups {
    return new MicroManagerConfigGroups(this.requireCore(), () => this.lightGuard());
  }

  /** The configured XY stage, undefined when the microscope has none. */
  async xyStage(): Promise<XYStage | undefined> {
    const core = this.requireCore();
    const label = await core.getXYStageDevice();
    return label ? new MicroManagerXYStage(core, label) : undefined;
  }

  /** The configured focus drive, undefined when the microscope has none. */
  async zStage(): Promise<ZStage | undefined> {
    const core = this.requireCore();
    const label = await core.getFocusDevice();
    return label ? new MicroManagerZStage(core, label) : undefined;
  }

  /** The camera's frame size and pixel type as Micro-Manager reports them now. */
  imageGeometry(): Promise<ImageGeometry> {
    return this.requireCore().getImageGeometry();
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
      await this.lightSources.connect(core, labels, this.simulated.serialPath);
      this.readySubject.next(this.state === 'connected');
      this.logger.log({ msg: `${inventory.length} devices loaded`, devices: inventory.map((d) => d.label) });
    } catch (err) {
      this.logger.warn({ msg: `could not read the device list: ${(err as Error).message}`, error: (err as Error).name });
    }
  }

  private async applySimulatedCameraSize(core: MicroManagerCore): Promise<void> {
    const camera = await core.getCameraDevice();
    const channels = await core.getNumberOfCameraChannels();
    // Behind a Multi Camera, the size is each physical camera's.
    const sensors = channels > 1 ? await Promise.all(Array.from({ length: channels }, (_, i) => core.getCameraChannelName(i))) : [camera];
    for (const sensor of sensors) {
      await core.setProperty(sensor, 'OnCameraCCDXSize', String(this.config.simulation.cameraWidthPx));
      await core.setProperty(sensor, 'OnCameraCCDYSize', String(this.config.simulation.cameraHeightPx));
    }
  }
}
