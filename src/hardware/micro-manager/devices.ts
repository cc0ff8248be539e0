import type { Camera, Image, LightChannel, LightSource, Shutter, StateDevice, XYStage, ZStage } from '../devices';
import type { MicroManagerCore, MicroscopeCore } from './micro-manager-core';

export class MicroManagerCamera implements Camera {
  constructor(
    private readonly core: MicroscopeCore,
    readonly label: string,
  ) {}

  getExposureMs = () => this.core.getExposure();
  setExposureMs = (exposureMs: number) => this.core.setExposure(exposureMs);

  async snap(): Promise<Image> {
    await this.core.snapImage();
    const image = await this.core.getImage();
    return { pixels: image.pixels, width: image.width, height: image.height, bitDepth: image.bitDepth };
  }
}

export class MicroManagerXYStage implements XYStage {
  constructor(
    private readonly core: MicroscopeCore,
    readonly label: string,
  ) {}

  getPositionUm = () => this.core.getXYPosition(this.label);
  setPositionUm = (x: number, y: number) => this.core.setXYPosition(this.label, x, y);
  moveRelativeUm = (dx: number, dy: number) => this.core.setRelativeXYPosition(this.label, dx, dy);
  waitUntilIdle = () => this.core.waitForDevice(this.label);
}

export class MicroManagerZStage implements ZStage {
  constructor(
    private readonly core: MicroscopeCore,
    readonly label: string,
  ) {}

  getPositionUm = () => this.core.getPosition(this.label);
  setPositionUm = (z: number) => this.core.setPosition(this.label, z);
  moveRelativeUm = (dz: number) => this.core.setRelativePosition(this.label, dz);
  waitUntilIdle = () => this.core.waitForDevice(this.label);
}

export class MicroManagerShutter implements Shutter {
  constructor(
    private readonly core: MicroscopeCore,
    readonly label: string,
  ) {}

  isOpen = () => this.core.getShutterOpen(this.label);
  setOpen = (open: boolean) => this.core.setShutterOpen(open, this.label);
}

export class MicroManagerStateDevice implements StateDevice {
  constructor(
    private readonly core: MicroscopeCore,
    readonly label: string,
  ) {}

  getStateLabel = () => this.core.getStateLabel(this.label);
  setStateLabel = (stateLabel: string) => this.core.setStateLabel(this.label, stateLabel);
  getStateLabels = () => this.core.getStateLabels(this.label);
}

/**
 * A single-channel LED seen through Micro-Manager: a shutter-type device with `Intensity` (percent), `State`
 * and `Wavelength` properties. Only the safety envelope may call setPowerPercent.
 */
export class MicroManagerLightSource implements LightSource {
  constructor(
    private readonly core: MicroManagerCore,
    readonly label: string,
  ) {}

  async getChannels(): Promise<readonly LightChannel[]> {
    const [state, intensity, wavelength] = await Promise.all([
      this.core.getProperty(this.label, 'State'),
      this.core.getProperty(this.label, 'Intensity'),
      this.core.getProperty(this.label, 'Wavelength'),
    ]);
    return [{ index: 0, wavelengthNm: Number(wavelength), on: state === '1', powerPercent: Number(intensity) }];
  }

  async setChannelOn(channel: number, on: boolean): Promise<void> {
    this.checkChannel(channel);
    await this.core.setProperty(this.label, 'State', on ? '1' : '0');
  }

  async setPowerPercent(channel: number, powerPercent: number): Promise<void> {
    this.checkChannel(channel);
    if (!Number.isFinite(powerPercent) || powerPercent < 0 || powerPercent > 100) {
      throw new RangeError(`${this.label}: power must be 0–100 %, got ${powerPercent}`);
    }
    await this.core.setProperty(this.label, 'Intensity', powerPercent.toFixed(4));
  }

  async allOff(): Promise<void> {
    await this.core.setProperty(this.label, 'Intensity', '0');
    await this.core.setProperty(this.label, 'State', '0');
  }

  private checkChannel(channel: number): void {
    if (channel !== 0) throw new RangeError(`${this.label} has one channel (0); got ${channel}`);
  }
}
