import type { LightChannel, LightSource } from '../../../src/hardware/devices';

/**
 * The simulated dish's light source: one channel whose power (% of fullScaleMw) and on/off state decide what the
 * dish receives during an exposure. In-process, for headless experiments; the service drives it only through the
 * safety envelope, as any LightSource.
 */
export class DishLamp implements LightSource {
  readonly label = 'dish-lamp';
  private on = false;
  private powerPercent = 0;
  /** Every state the lamp was put in, for checks that nothing beyond the envelope's limits reached it. */
  readonly history: Array<{ on: boolean; powerPercent: number }> = [];

  constructor(
    readonly wavelengthNm = 488,
    readonly fullScaleMw = 100,
  ) {}

  async getChannels(): Promise<readonly LightChannel[]> {
    return [{ index: 0, wavelengthNm: this.wavelengthNm, on: this.on, powerPercent: this.powerPercent }];
  }

  async setChannelOn(channel: number, on: boolean): Promise<void> {
    this.check(channel);
    this.on = on;
    this.history.push({ on, powerPercent: this.powerPercent });
  }

  async setPowerPercent(channel: number, powerPercent: number): Promise<void> {
    this.check(channel);
    if (!(powerPercent >= 0 && powerPercent <= 100)) throw new RangeError(`dish lamp: power ${powerPercent} % is outside 0–100 %`);
    this.powerPercent = powerPercent;
    this.history.push({ on: this.on, powerPercent });
  }

  async allOff(): Promise<void> {
    this.on = false;
    this.history.push({ on: false, powerPercent: this.powerPercent });
  }

  /** Light reaching the sample now, mW. */
  outputMw(): number {
    return this.on ? (this.powerPercent / 100) * this.fullScaleMw : 0;
  }

  private check(channel: number): void {
    if (channel !== 0) throw new RangeError(`dish lamp has one channel (0), not ${channel}`);
  }
}
