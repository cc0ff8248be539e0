/**
 * An acquisition engine over the simulated photodamage dish, for the agent's bench and tests: light goes through
 * the safety envelope (a SafeLightSource around the dish's lamp), one frame per event, in simulated time (the
 * caller's clock object, which hooks may move forward to an event's start).
 */
import type { AcquisitionEngine, EngineImage } from '../src/acquisition/engine/engine';
import type { MDAEvent } from '../src/acquisition/plans';
import type { SafeLightSource } from '../src/hardware/safety';
import type { DishLamp, PhotodamageDish } from '../simulators/sample/photodamage';

/** Engine over the dish: light through the envelope, a frame per event, simulated time. */
export class DishEngine implements AcquisitionEngine<MDAEvent> {
  powerPercent = 0;
  exposureMs = 100;
  readonly frames: Array<{ raw: Uint16Array; clean: Float32Array }> = [];
  constructor(
    private readonly dish: PhotodamageDish,
    private readonly lamp: DishLamp,
    private readonly light: SafeLightSource,
    private readonly clock: { nowMs: number },
  ) {}
  async setupSequence(): Promise<void> {
    await this.light.initialize();
  }
  async setupEvent(event: MDAEvent): Promise<void> {
    if (event.exposureMs !== undefined) this.exposureMs = this.light.clampExposureMs(event.exposureMs);
    if (event.illuminationPercent !== undefined) this.powerPercent = await this.light.commandPowerPercent(0, event.illuminationPercent);
  }
  async *execEvent(event: MDAEvent): AsyncIterable<EngineImage> {
    this.dish.advanceTo(this.clock.nowMs / 1000);
    await this.light.setChannelOn(0, true);
    const frame = this.dish.expose({ powerMw: this.lamp.outputMw(), wavelengthNm: this.lamp.wavelengthNm }, this.exposureMs);
    await this.light.setChannelOn(0, false);
    this.clock.nowMs = this.dish.timeS * 1000;
    this.frames.push({ raw: frame.raw, clean: frame.clean });
    yield {
      pixels: frame.raw,
      meta: {
        index: event.index,
        width: frame.widthPx,
        height: frame.heightPx,
        bitDepth: 12,
        pixelSizeUm: 1,
        exposureMs: this.exposureMs,
        illumination: { source: this.light.label, channel: 0, powerPercent: this.powerPercent, wavelengthNm: this.lamp.wavelengthNm },
        stage: {},
        camera: 'dish-camera',
        wallTimeMs: this.clock.nowMs,
      },
    };
  }
  async teardownEvent(): Promise<void> {}
  async teardownSequence(): Promise<void> {
    await this.light.allOff();
  }
}

/** A plain time-lapse plan: one frame every intervalS for durationS. */
export function plannedEvents(intervalS: number, durationS: number): MDAEvent[] {
  return Array.from({ length: Math.floor(durationS / intervalS) + 1 }, (_, t) => ({
    index: { t },
    minStartTimeS: t * intervalS,
    keepShutterOpen: false,
    resetEventTimer: false,
    action: { type: 'acquire_image' as const },
  }));
}
