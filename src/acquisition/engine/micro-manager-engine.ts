import type { PixelArray } from '../../hardware/devices';
import { MicroManagerCamera, MicroManagerZStage, type MicroscopeCore } from '../../hardware/micro-manager';
import type { LightGuard, SafeLightSource } from '../../hardware/safety';
import { runSoftwareAutofocus, SOFTWARE_AUTOFOCUS, type SoftwareAutofocusOptions } from '../autofocus';
import type { AcquisitionEngine, EngineDropped, EngineImage } from './engine';
import type { MDAEvent } from '../plans';

export interface MicroManagerEngineOptions {
  readonly core: MicroscopeCore;
  /** Every property an event sets and every channel preset go through it: light stays within the limits. */
  readonly guard: Pick<LightGuard, 'setProperty' | 'setConfig'>;
  /** The light source, already wrapped by the safety envelope; absent when the microscope has none we drive. */
  readonly light?: { readonly source: SafeLightSource; readonly channel: number };
  /** Longest wait for a sequence-acquired frame before the burst fails, ms. */
  readonly frameTimeoutMs?: number;
  /** Scan settings for autofocus events naming the device SOFTWARE_AUTOFOCUS. */
  readonly softwareAutofocus?: SoftwareAutofocusOptions;
}

type AutofocusAction = Extract<NonNullable<MDAEvent['action']>, { type: 'hardware_autofocus' }>;

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
    const zUm = event.zPosUm === undefined ? undefined : event.zPosUm + (this.zCorrectionUm.get(event.index.p ?? 0) ?? 0);
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
      const image = await this.core.getImage();
      yield this.toImage(event, image.pixels, image.width, image.height, image.bitDepth, 0, undefined);
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
    if (this.options.light) await attempt('illumination off', () => this.options.light!.source.allOff());
    this.illuminationPercent = this.requestedIlluminationPercent = undefined;
    if (failures.length) throw new Error(`hardware may not be safe: ${failures.join('; ')}`);
  }

  /**
   * Hardware autofocus (fullFocus on the named or current autofocus device, after setting its offset), or the
   * software one when the event names SOFTWARE_AUTOFOCUS; the motor offset then shifts the focus found, µm.
   */
  private async autofocus(event: MDAEvent, action: AutofocusAction): Promise<void> {
    const core = this.core;
    if (!this.focus) throw new Error(`autofocus at event ${JSON.stringify(event.index)}: no focus stage is set in Micro-Manager`);
    const beforeUm = await core.getPosition(this.focus);
    if (action.autofocusDeviceName === SOFTWARE_AUTOFOCUS) {
      const zStage = new MicroManagerZStage(core, this.focus);
      const result = await runSoftwareAutofocus(
        { camera: new MicroManagerCamera(core, this.cameraLabel), zStage },
        this.options.softwareAutofocus,
      );
      if (result.found && action.autofocusMotorOffset) {
        await zStage.setPositionUm(result.zUm + action.autofocusMotorOffset);
        await zStage.waitUntilIdle();
      }
    } else {
      if (action.autofocusDeviceName !== undefined) await core.setAutoFocusDevice(action.autofocusDeviceName);
      if (action.autofocusMotorOffset !== undefined) await core.setAutoFocusOffset(action.autofocusMotorOffset);
      await core.fullFocus();
      await core.waitForDevice(this.focus);
    }
    const afterUm = await core.getPosition(this.focus);
    const p = event.index.p ?? 0;
    this.zCorrectionUm.set(p, (this.zCorrectionUm.get(p) ?? 0) + afterUm - beforeUm);
    this.position.zUm = afterUm;
    this.reported = { ...this.reported, zUm: afterUm };
  }

  /**
   * A hardware-sequenced burst. Frames are placed by the camera's own frame number (ImageNumber, from 0 in each
   * sequence as MMCore's cameras count): a gap means the camera lost frames, which are yielded as dropped and left
   * blank, and the burst goes on. A circular-buffer overflow stops the camera: that is an error, never a gap.
   */
  private async *burst(event: MDAEvent, count: number): AsyncIterable<EngineImage | EngineDropped> {
    const core = this.core;
    const timeoutMs = this.options.frameTimeoutMs ?? Math.max(5000, this.exposureMs * 10);
    const lost = (from: number, to: number, reason: string): EngineDropped => ({
      dropped: Array.from({ length: to - from }, (_, k) => ({ index: burstIndex(event, from + k), cameraImageNumber: from + k, reason })),
    });
    await core.startSequenceAcquisition(count, 0, true);
    try {
      for (let next = 0; next < count;) {
        if ((await core.getRemainingImageCount()) === 0) {
          const waitedFrom = Date.now();
          while ((await core.getRemainingImageCount()) === 0) {
            if (!(await core.isSequenceRunning()) && (await core.getRemainingImageCount()) === 0) {
              if (await core.isBufferOverflowed()) {
                throw new Error(
                  `the camera's circular buffer overflowed after ${next} of ${count} frames and the camera stopped: frames came faster than they were read (enlarge it with setCircularBufferMemoryFootprint, or slow the camera)`,
                );
              }
              if (next === 0) throw new Error(`camera sequence stopped after 0 of ${count} frames`);
              yield lost(next, count, `the camera ended its sequence after frame ${next - 1} without delivering these`);
              return;
            }
            if (Date.now() - waitedFrom > timeoutMs) throw new Error(`no frame from the camera sequence in ${timeoutMs} ms`);
            await new Promise((r) => setTimeout(r, Math.min(5, this.exposureMs / 2)));
          }
        }
        const tagged = await core.popNextTaggedImage();
        const number = Number(tagged.tags['ImageNumber']);
        const placed = Number.isInteger(number) && number > next && number < count ? number : next;
        if (placed > next) yield lost(next, placed, `camera frame numbers jumped from ${next - 1} to ${placed}: the camera lost these`);
        const elapsed = Number(tagged.tags['ElapsedTime-ms']);
        yield this.toImage(
          event,
          tagged.pixels,
          tagged.width,
          tagged.height,
          tagged.bitDepth,
          placed,
          Number.isFinite(elapsed) ? elapsed : undefined,
          tagged.tags,
        );
        next = placed + 1;
      }
    } finally {
      if (await core.isSequenceRunning()) await core.stopSequenceAcquisition();
    }
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
  ): EngineImage {
    const index = burstIndex(event, frameInBurst);
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
        stage: { ...this.reported },
        plannedStage: { xUm: event.xPosUm, yUm: event.yPosUm, zUm: event.zPosUm },
        camera: this.cameraLabel,
        positionName: event.posName,
        hardwareTimeMs,
        tags,
      },
    };
  }
}

/** Where the burst's n-th frame goes: time points on from the event's. */
function burstIndex(event: MDAEvent, frameInBurst: number): MDAEvent['index'] {
  return frameInBurst > 0 ? { ...event.index, t: (event.index.t ?? 0) + frameInBurst } : event.index;
}
