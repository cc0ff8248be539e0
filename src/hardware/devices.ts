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

export interface PropertyLimits {
  readonly lower: number;
  readonly upper: number;
}

/** A device property as Micro-Manager describes it. */
export interface PropertyDescription {
  readonly name: string;
  readonly value: string;
  readonly readOnly: boolean;
  readonly allowedValues: readonly string[];
  readonly limits: PropertyLimits | null;
}

/** Why a write would be refused: the part of the request at fault and what is wrong with it. */
export interface PropertyProblem {
  readonly field: 'name' | 'value';
  readonly message: string;
}

/**
 * Device properties: read them, check a value as the driver would, write one. Writes go through the light guard,
 * so a light-controlling property is clamped or refused beyond the limits; `origin` says who asked.
 */
export interface DeviceProperties {
  loadedDevices(): Promise<readonly string[]>;
  has(device: string, property: string): Promise<boolean>;
  get(device: string, property: string): Promise<string>;
  describeAll(device: string): Promise<readonly PropertyDescription[]>;
  /** `range: false` leaves the limits to the light guard (light power values). */
  problem(device: string, property: string, value: unknown, options?: { readonly range?: boolean }): Promise<PropertyProblem | undefined>;
  set(device: string, property: string, value: string | number | boolean, origin: string): Promise<void>;
}

/** Configuration groups (Channel, Objective…) and their presets; applying one goes through the light guard. */
export interface ConfigGroups {
  groups(): Promise<readonly string[]>;
  presets(group: string): Promise<readonly string[]>;
  current(group: string): Promise<string>;
  /** Applies the preset and waits until its devices have settled. */
  apply(group: string, preset: string, origin: string): Promise<void>;
}
