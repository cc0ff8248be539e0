import type { PixelArray } from '../../hardware/devices';
import type { MicroscopeCore } from '../../hardware/micro-manager';
import { resumeFromStandby, standBy, type LightGuard, type SafeLightSource } from '../../hardware/safety';
import type { SoftwareAutofocusOptions } from '../autofocus';
import type { AcquisitionEngine, EngineDropped, EngineImage } from './engine';
import { burstFrame } from './focus-sequence';
import { datasetChannel, readCameraNames } from './camera-channels';
import { runCameraSequence } from './camera-sequence';
import { runEventAutofocus, type AutofocusAction } from './event-autofocus';
import type { MDAEvent } from '../plans';

export interface MicroManagerEngineOptions {
  readonly core: MicroscopeCore;
  /** Every property an event sets and every channel preset go through it: light stays within the limits. */
  readonly guard: Pick<LightGuard, 'setProperty' | 'setConfig'>;
  /** The light source, already wrapped by the safety envelope; absent when the microscope has none we drive. */
  readonly light?: { readonly source: SafeLightSource; readonly channel: number };
  /** Longest wait for a sequence-acquired frame before the burst fails, ms. */
  readonly frameTimeoutMs?: number;
  /** The physical cameras behind the core's camera, when the caller read them already (else read at setup). */
  readonly cameras?: readonly string[];
  /** Scan settings for autofocus events naming the device SOFTWARE_AUTOFOCUS. */
  readonly softwareAutofocus?: SoftwareAutofocusOptions;
}

interface StagePosition {
  xUm?: number;
  yUm?: number;
  zUm?: number;
}

/**
 * Turns planned events into CMMCore calls through the bridge: channel preset, stage moves and waits, exposure,
 * illumination (through the envelope), shutter, snap or a hardware-sequenced burst.
 */
export class MicroManagerEngine implements AcquisitionEngine<MDAEvent> {
  private readonly core: MicroscopeCore;
  /** Who asks, in the light guard's log: this acquisition. */
  private origin = 'acquisition';
  private cameraLabel = '';
  /** The physical cameras behind the core's camera (several behind a Multi Camera), in channel order. */
  private cameras: string[] = [];
  private xyStage = '';
  private focus = '';
  private shutter = '';
  private pixelSizeUm = 1;
  private exposureMs = 0;
  /** Where the stages were sent (a move is skipped when already there). */
  private position: StagePosition = {};
  /** Where the stages said they were after the last move: saved with each frame (steps and errors make it differ). */
  private reported: StagePosition = {};
  private requestedIlluminationPercent?: number;
  /** What the envelope let through, read back from the source: the figure saved with each frame. */
  private illuminationPercent?: number;
  /** The channel's wavelength as the source reported it with the applied power. */
  private illuminationWavelengthNm?: number;
  private autoShutterBefore = true;
  /**
   * What autofocus found, per position index: added to every planned z there, as pymmcore-plus does, so a z-stack
   * or the next time point follows the focus rather than going back to the planned z.
   */
  private readonly zCorrectionUm = new Map<number, number>();

  constructor(private readonly options: MicroManagerEngineOptions) {
    this.core = options.core;
  }

  async setupSequence(context?: { readonly acquisitionId: string }): Promise<void> {
    const core = this.core;
    if (context) this.origin = `acquisition ${context.acquisitionId}`;
    [this.cameraLabel, this.xyStage, this.focus, this.shutter] = await Promise.all([
      core.getCameraDevice(),
      core.getXYStageDevice(),
      core.getFocusDevice(),
      core.getShutterDevice(),
    ]);
    this.cameras = this.options.cameras ? [...this.options.cameras] : await readCameraNames(core);
    this.pixelSizeUm = await core.getPixelSizeUm();
    this.exposureMs = await core.getExposure();
    this.autoShutterBefore = await core.getAutoShutter();
    if (this.xyStage) {
      const xy = await core.getXYPosition(this.xyStage);
      this.position.xUm = xy.x;
      this.position.yUm = xy.y;
    }
    if (this.focus) this.position.zUm = await core.getPosition(this.focus);
    this.reported = { ...this.position };
    // The last acquisition left the light off: this one is lit as the user had set it (within the envelope).
    if (this.options.light) await resumeFromStandby(this.options.light.source, `${this.origin} start`);
  }

  async setupEvent(event: MDAEvent): Promise<void> {
    const core = this.core;
    const guard = this.options.guard;
    for (const [device, property, value] of event.properties ?? []) {
      await guard.setProperty(
        device,
        property,
        typeof value === 'number' || typeof value === 'boolean' ? value : String(value),
        `${this.origin} plan property`,
      );
    }
    if (event.channel) {
      await guard.setConfig(event.channel.group, event.channel.config, `${this.origin} channel`);
      await core.waitForConfig(event.channel.group, event.channel.config);
    }
    // The exposure is the light's on-time under auto-shutter: held within safety.light.maxExposureMs too.
    const exposureMs =
      event.exposureMs === undefined || !this.options.light
        ? event.exposureMs
        : this.options.light.source.clampExposureMs(event.exposureMs);
    if (exposureMs !== undefined && exposureMs !== this.exposureMs) {
      await core.setExposure(exposureMs);
      this.exposureMs = exposureMs;
    }
    const moveXY = this.xyStage && (event.xPosUm !== undefined || event.yPosUm !== undefined);
    let movedXY = false;
    if (moveXY) {
      const x = event.xPosUm ?? this.position.xUm ?? 0;
      const y = event.yPosUm ?? this.position.yUm ?? 0;
      if (x !== this.position.xUm || y !== this.position.yUm) {
        movedXY = true;
        await core.setXYPosition(this.xyStage, x, y);
        this.position.xUm = x;
        this.position.yUm = y;
      }
    }
    const zUm = event.zPosUm === undefined ? undefined : this.correctedZ(event, event.zPosUm);
    let movedZ = false;
    if (this.focus && zUm !== undefined && zUm !== this.position.zUm) {
      movedZ = true;
      await core.setPosition(this.focus, zUm);
      this.position.zUm = zUm;
    }
    if (moveXY) await core.waitForDevice(this.xyStage);
    if (this.focus && event.zPosUm !== undefined) await core.waitForDevice(this.focus);
    await this.readBackStage(movedXY, movedZ);
    const light = this.options.light;
    if (light && event.illuminationPercent !== undefined && event.illuminationPercent !== this.requestedIlluminationPercent) {
      await light.source.setPowerPercent(light.channel, event.illuminationPercent, `${this.origin} event illumination`);
      await light.source.setChannelOn(light.channel, event.illuminationPercent > 0, `${this.origin} event illumination`);
      this.requestedIlluminationPercent = event.illuminationPercent;
      const applied = (await light.source.getChannels()).find((c) => c.index === light.channel);
      this.illuminationPercent = applied?.on ? applied.powerPercent : 0;
      // a device without a wavelength property reports NaN: left out, the frame says nothing rather than something wrong
      this.illuminationWavelengthNm =
        applied && applied.wavelengthNm > 0 && Number.isFinite(applied.wavelengthNm) ? applied.wavelengthNm : undefined;
    }
  }

  /** Reads the stages after a move (only then: two bridge calls per frame would slow fast series). */
  private async readBackStage(movedXY: boolean, movedZ: boolean): Promise<void> {
    if (movedXY) {
      const xy = await this.core.getXYPosition(this.xyStage);
      this.reported = { ...this.reported, xUm: xy.x, yUm: xy.y };
    }
    if (movedZ) this.reported = { ...this.reported, zUm: await this.core.getPosition(this.focus) };
  }

  async *execEvent(event: MDAEvent): AsyncIterable<EngineImage | EngineDropped> {
    if (event.action?.type === 'hardware_autofocus') {
      await this.autofocus(event, event.action);
      return;
    }
    if (event.keepShutterOpen && this.shutter) {
      await this.core.setAutoShutter(false);
      await this.core.setShutterOpen(true);
    }
    const count = event.burstCount ?? 1;
    if (count <= 1) {
      await this.core.snapImage();
      for (let camera = 0; camera < this.cameras.length; camera++) {
        const image = camera === 0 ? await this.core.getImage() : await this.core.getCameraChannelImage(camera);
        yield this.toImage(event, image.pixels, image.width, image.height, image.bitDepth, 0, undefined, undefined, camera);
      }
      return;
    }
    yield* this.burst(event, count);
  }

  async teardownEvent(event: MDAEvent): Promise<void> {
    if (!event.keepShutterOpen && this.shutter && !(await this.core.getAutoShutter())) {
      await this.core.setShutterOpen(false);
      await this.core.setAutoShutter(this.autoShutterBefore);
    }
  }

  async teardownSequence(): Promise<void> {
    const failures: string[] = [];
    const attempt = async (what: string, call: () => Promise<unknown>) => {
      try {
        await call();
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message}`);
      }
    };
    await attempt('stop sequence', async () => {
      if (await this.core.isSequenceRunning()) await this.core.stopSequenceAcquisition();
    });
    if (this.shutter) await attempt('close shutter', () => this.core.setShutterOpen(false));
    await attempt('restore autoshutter', () => this.core.setAutoShutter(this.autoShutterBefore));
    if (this.options.light) await attempt('illumination off', () => standBy(this.options.light!.source, `${this.origin} end`));
    this.illuminationPercent = this.requestedIlluminationPercent = undefined;
    if (failures.length) throw new Error(`hardware may not be safe: ${failures.join('; ')}`);
  }

  /** Runs the event's autofocus; what it found is added to every planned z at that position from then on. */
  private async autofocus(event: MDAEvent, action: AutofocusAction): Promise<void> {
    if (!this.focus) throw new Error(`autofocus at event ${JSON.stringify(event.index)}: no focus stage is set in Micro-Manager`);
    const { beforeUm, afterUm } = await runEventAutofocus(this.core, action, {
      focus: this.focus,
      camera: this.cameraLabel,
      software: this.options.softwareAutofocus,
    });
    const p = event.index.p ?? 0;
    this.zCorrectionUm.set(p, (this.zCorrectionUm.get(p) ?? 0) + afterUm - beforeUm);
    this.position.zUm = afterUm;
    this.reported = { ...this.reported, zUm: afterUm };
  }

  /** A hardware-sequenced burst (see runCameraSequence); a stage-sequenced one reads the focus back after. */
  private async *burst(event: MDAEvent, count: number): AsyncIterable<EngineImage | EngineDropped> {
    const focusSequenced = event.sequencedFrames !== undefined && this.focus !== '';
    try {
      yield* runCameraSequence(event, count, {
        core: this.core,
        timeoutMs: this.options.frameTimeoutMs ?? Math.max(5000, this.exposureMs * 10),
        exposureMs: this.exposureMs,
        focusSequence: focusSequenced
          ? { focus: this.focus, positionsUm: event.sequencedFrames!.map((f) => this.correctedZ(event, f.zPosUm)) }
          : undefined,
        cameras: this.cameras,
        index: (planned, camera) => this.datasetIndex(planned, camera),
        image: (tagged, frameInBurst, hardwareTimeMs, camera) =>
          this.toImage(
            event,
            tagged.pixels,
            tagged.width,
            tagged.height,
            tagged.bitDepth,
            frameInBurst,
            hardwareTimeMs,
            tagged.tags,
            camera,
          ),
      });
    } finally {
      if (focusSequenced) {
        this.position.zUm = await this.core.getPosition(this.focus);
        this.reported = { ...this.reported, zUm: this.position.zUm };
      }
    }
  }

  /** Behind a Multi Camera, each camera's frames are channels of their own (see datasetChannel). */
  private datasetIndex(planned: MDAEvent['index'], camera: number): MDAEvent['index'] {
    if (this.cameras.length <= 1) return planned;
    return { ...planned, c: datasetChannel(planned.c ?? 0, camera, this.cameras.length) };
  }

  /** A planned z with what autofocus found at that position added. */
  private correctedZ(event: MDAEvent, zUm: number): number {
    return zUm + (this.zCorrectionUm.get(event.index.p ?? 0) ?? 0);
  }

  private toImage(
    event: MDAEvent,
    pixels: PixelArray,
    width: number,
    height: number,
    bitDepth: number,
    frameInBurst: number,
    hardwareTimeMs: number | undefined,
    tags?: Readonly<Record<string, unknown>>,
    camera = 0,
  ): EngineImage {
    const { index: planned, zPosUm } = burstFrame(event, frameInBurst);
    const index = this.datasetIndex(planned, camera);
    // A stage-sequenced frame is where the loaded sequence put the stage: it cannot be read back per frame.
    const stage =
      event.sequencedFrames && zPosUm !== undefined ? { ...this.reported, zUm: this.correctedZ(event, zPosUm) } : { ...this.reported };
    return {
      pixels,
      meta: {
        index,
        width,
        height,
        bitDepth,
        pixelSizeUm: this.pixelSizeUm,
        exposureMs: this.exposureMs,
        channel: event.channel,
        illumination:
          this.options.light && this.illuminationPercent !== undefined
            ? {
                source: this.options.light.source.label,
                channel: this.options.light.channel,
                powerPercent: this.illuminationPercent,
                ...(this.illuminationWavelengthNm !== undefined ? { wavelengthNm: this.illuminationWavelengthNm } : {}),
              }
            : undefined,
        stage,
        plannedStage: { xUm: event.xPosUm, yUm: event.yPosUm, zUm: zPosUm },
        camera: this.cameras.length > 1 ? this.cameras[camera] : this.cameraLabel,
        positionName: event.posName,
        hardwareTimeMs,
        tags,
      },
    };
  }
}
