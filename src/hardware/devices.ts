/**
 * The small interfaces the rest of the service sees. Drivers (Micro-Manager bridge, serial) implement them;
 * acquisition and the agent never know which driver is behind a device.
 */

export type PixelArray = Uint8Array | Uint16Array | Float32Array;

export interface Image {
  readonly pixels: PixelArray;
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** Metadata the camera (or MMCore) attached, e.g. Micro-Manager's TaggedImage tags. */
  readonly tags?: Readonly<Record<string, unknown>>;
}

export interface Camera {
  readonly label: string;
  getExposureMs(): Promise<number>;
  setExposureMs(exposureMs: number): Promise<void>;
  snap(): Promise<Image>;
}

export interface XYStage {
  readonly label: string;
  getPositionUm(): Promise<{ x: number; y: number }>;
  setPositionUm(x: number, y: number): Promise<void>;
  moveRelativeUm(dx: number, dy: number): Promise<void>;
  waitUntilIdle(): Promise<void>;
}

export interface ZStage {
  readonly label: string;
  getPositionUm(): Promise<number>;
  setPositionUm(z: number): Promise<void>;
  moveRelativeUm(dz: number): Promise<void>;
  waitUntilIdle(): Promise<void>;
}

export interface Shutter {
  readonly label: string;
  isOpen(): Promise<boolean>;
  setOpen(open: boolean): Promise<void>;
}

export interface StateDevice {
  readonly label: string;
  getStateLabel(): Promise<string>;
  setStateLabel(label: string): Promise<void>;
  getStateLabels(): Promise<readonly string[]>;
}

export interface LightChannel {
  /** Index as the device numbers it (0-based). */
  readonly index: number;
  readonly wavelengthNm: number;
  readonly on: boolean;
  /** Fraction of the channel's full output, 0–100. */
  readonly powerPercent: number;
}

/**
 * A light source with one or more channels. Every implementation receives its power commands only through
 * the safety envelope (src/hardware/safety); nothing else may call setPowerPercent directly.
 */
export interface LightSource {
  readonly label: string;
  getChannels(): Promise<readonly LightChannel[]>;
  setChannelOn(channel: number, on: boolean): Promise<void>;
  setPowerPercent(channel: number, powerPercent: number): Promise<void>;
  /** Switch every channel off: the safe state. */
  allOff(): Promise<void>;
}
