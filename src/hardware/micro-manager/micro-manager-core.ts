import type { Observable } from 'rxjs';
import { BridgeProtocolError } from './errors';
import { CoreSession } from './core-session';
import { JavaObject, typed, type JavaResult } from './java-object';
import { BridgeTransport, type ConnectionState } from './transport';

export interface ImageGeometry {
  readonly width: number;
  readonly height: number;
  readonly bytesPerPixel: number;
  readonly bitDepth: number;
}

export interface CoreImage extends ImageGeometry {
  readonly pixels: Uint8Array | Uint16Array;
}

export interface TaggedCoreImage extends CoreImage {
  readonly tags: Readonly<Record<string, unknown>>;
}

export interface PropertyLimits {
  readonly lower: number;
  readonly upper: number;
}

export interface MicroManagerConnectOptions {
  readonly endpoint?: string;
  readonly timeoutMs?: number;
  readonly reconnectMaxDelayMs?: number;
}

export const DEFAULT_ENDPOINT = 'tcp://127.0.0.1:4827';

/**
 * A typed facade over the CMMCore calls the service needs, spoken through Micro-Manager's ZeroMQ bridge with
 * MMCoreJ's Java names. Pixels arrive as views over the received message, without copies.
 */
export class MicroManagerCore {
  private readonly session: CoreSession;
  private geometry?: ImageGeometry;

  constructor(readonly transport: BridgeTransport) {
    this.session = new CoreSession(transport);
  }

  get endpoint(): string {
    return this.transport.endpoint;
  }

  get state$(): Observable<ConnectionState> {
    return this.transport.state$;
  }

  get state(): ConnectionState {
    return this.transport.state$.value;
  }

  get serverVersion(): string | undefined {
    return this.session.serverVersion;
  }

  waitConnected(timeoutMs = 10_000): Promise<void> {
    return this.session.waitConnected(timeoutMs);
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  // ---- system and devices ----
  getVersionInfo = () => this.string('getVersionInfo');
  getAPIVersionInfo = () => this.string('getAPIVersionInfo');
  getLoadedDevices = () => this.strings('getLoadedDevices');
  getDeviceLibrary = (label: string) => this.string('getDeviceLibrary', label);
  getDeviceName = (label: string) => this.string('getDeviceName', label);
  getDeviceDescription = (label: string) => this.string('getDeviceDescription', label);
  getDevicePropertyNames = (label: string) => this.strings('getDevicePropertyNames', label);

  /** MMCore's DeviceType name, e.g. "CameraDevice". */
  async getDeviceType(label: string): Promise<string> {
    return this.enumName(await this.session.call('getDeviceType', label), 'getDeviceType');
  }

  // ---- properties ----
  getProperty = (label: string, name: string) => this.string('getProperty', label, name);
  hasProperty = (label: string, name: string) => this.boolean('hasProperty', label, name);
  getAllowedPropertyValues = (label: string, name: string) => this.strings('getAllowedPropertyValues', label, name);
  isPropertyReadOnly = (label: string, name: string) => this.boolean('isPropertyReadOnly', label, name);
  hasPropertyLimits = (label: string, name: string) => this.boolean('hasPropertyLimits', label, name);

  async setProperty(label: string, name: string, value: string | number | boolean): Promise<void> {
    this.geometry = undefined;
    await this.session.call('setProperty', label, name, typed('java.lang.String', String(value)));
  }

  async getPropertyLimits(label: string, name: string): Promise<PropertyLimits | undefined> {
    if (!(await this.hasPropertyLimits(label, name))) return undefined;
    return {
      lower: await this.number('getPropertyLowerLimit', label, name),
      upper: await this.number('getPropertyUpperLimit', label, name),
    };
  }

  async getPropertyType(label: string, name: string): Promise<string> {
    return this.enumName(await this.session.call('getPropertyType', label, name), 'getPropertyType');
  }

  // ---- configuration groups ----
  getAvailableConfigGroups = () => this.strings('getAvailableConfigGroups');
  getAvailableConfigs = (group: string) => this.strings('getAvailableConfigs', group);
  getCurrentConfig = (group: string) => this.string('getCurrentConfig', group);
  waitForConfig = (group: string, preset: string) => this.void('waitForConfig', group, preset);
  getChannelGroup = () => this.string('getChannelGroup');

  async setConfig(group: string, preset: string): Promise<void> {
    this.geometry = undefined;
    await this.session.call('setConfig', group, preset);
  }

  // ---- roles ----
  getCameraDevice = () => this.string('getCameraDevice');
  getShutterDevice = () => this.string('getShutterDevice');
  getFocusDevice = () => this.string('getFocusDevice');
  getXYStageDevice = () => this.string('getXYStageDevice');
  getAutoFocusDevice = () => this.string('getAutoFocusDevice');

  // ---- camera ----
  getExposure = () => this.number('getExposure');
  setExposure = (exposureMs: number) => this.void('setExposure', typed('double', exposureMs));
  snapImage = () => this.void('snapImage');
  getImageWidth = () => this.number('getImageWidth');
  getImageHeight = () => this.number('getImageHeight');
  getBytesPerPixel = () => this.number('getBytesPerPixel');
  getImageBitDepth = () => this.number('getImageBitDepth');
  getPixelSizeUm = () => this.number('getPixelSizeUm');

  async getImageGeometry(): Promise<ImageGeometry> {
    this.geometry ??= {
      width: await this.getImageWidth(),
      height: await this.getImageHeight(),
      bytesPerPixel: await this.getBytesPerPixel(),
      bitDepth: await this.getImageBitDepth(),
    };
    return this.geometry;
  }

  async getImage(): Promise<CoreImage> {
    const geometry = await this.getImageGeometry();
    return { ...geometry, pixels: this.pixels(await this.session.call('getImage'), geometry, 'getImage') };
  }

  async getTaggedImage(): Promise<TaggedCoreImage> {
    return this.readTagged(await this.session.call('getTaggedImage'), 'getTaggedImage');
  }

  // ---- sequence acquisition ----
  startSequenceAcquisition = (numImages: number, intervalMs: number, stopOnOverflow: boolean) =>
    this.void('startSequenceAcquisition', typed('int', numImages), typed('double', intervalMs), stopOnOverflow);
  startContinuousSequenceAcquisition = (intervalMs: number) => this.void('startContinuousSequenceAcquisition', typed('double', intervalMs));
  stopSequenceAcquisition = () => this.void('stopSequenceAcquisition');
  isSequenceRunning = () => this.boolean('isSequenceRunning');
  getRemainingImageCount = () => this.number('getRemainingImageCount');
  isBufferOverflowed = () => this.boolean('isBufferOverflowed');
  clearCircularBuffer = () => this.void('clearCircularBuffer');

  async popNextImage(): Promise<CoreImage> {
    const geometry = await this.getImageGeometry();
    return { ...geometry, pixels: this.pixels(await this.session.call('popNextImage'), geometry, 'popNextImage') };
  }

  async popNextTaggedImage(): Promise<TaggedCoreImage> {
    return this.readTagged(await this.session.call('popNextTaggedImage'), 'popNextTaggedImage');
  }

  async getLastTaggedImage(): Promise<TaggedCoreImage> {
    return this.readTagged(await this.session.call('getLastTaggedImage'), 'getLastTaggedImage');
  }

  // ---- stages ----
  async getXYPosition(label?: string): Promise<{ x: number; y: number }> {
    const stage = label ?? (await this.getXYStageDevice());
    return { x: await this.number('getXPosition', stage), y: await this.number('getYPosition', stage) };
  }

  setXYPosition = (label: string, xUm: number, yUm: number) => this.void('setXYPosition', label, typed('double', xUm), typed('double', yUm));
  setRelativeXYPosition = (label: string, dxUm: number, dyUm: number) =>
    this.void('setRelativeXYPosition', label, typed('double', dxUm), typed('double', dyUm));
  getPosition = (label: string) => this.number('getPosition', label);
  setPosition = (label: string, zUm: number) => this.void('setPosition', label, typed('double', zUm));
  setRelativePosition = (label: string, dzUm: number) => this.void('setRelativePosition', label, typed('double', dzUm));
  waitForDevice = (label: string) => this.void('waitForDevice', label);
  waitForSystem = () => this.void('waitForSystem');
  deviceBusy = (label: string) => this.boolean('deviceBusy', label);

  // ---- shutters, state devices, autofocus ----
  setShutterOpen = (open: boolean, label?: string) => (label ? this.void('setShutterOpen', label, open) : this.void('setShutterOpen', open));
  getShutterOpen = (label?: string) => (label ? this.boolean('getShutterOpen', label) : this.boolean('getShutterOpen'));
  setAutoShutter = (auto: boolean) => this.void('setAutoShutter', auto);
  getAutoShutter = () => this.boolean('getAutoShutter');
  getState = (label: string) => this.number('getState', label);
  setState = (label: string, state: number) => this.void('setState', label, typed('int', state));
  getStateLabel = (label: string) => this.string('getStateLabel', label);
  setStateLabel = (label: string, stateLabel: string) => this.void('setStateLabel', label, stateLabel);
  getStateLabels = (label: string) => this.strings('getStateLabels', label);
  fullFocus = () => this.void('fullFocus');

  // ---- conversions ----
  private async void(method: string, ...args: unknown[]): Promise<void> {
    await this.session.call(method, ...args);
  }

  private async string(method: string, ...args: unknown[]): Promise<string> {
    const value = await this.session.call(method, ...args);
    if (typeof value !== 'string') throw this.unexpected(method, 'a string', value);
    return value;
  }

  private async number(method: string, ...args: unknown[]): Promise<number> {
    const value = await this.session.call(method, ...args);
    if (typeof value !== 'number') throw this.unexpected(method, 'a number', value);
    return value;
  }

  private async boolean(method: string, ...args: unknown[]): Promise<boolean> {
    const value = await this.session.call(method, ...args);
    if (typeof value !== 'boolean') throw this.unexpected(method, 'a boolean', value);
    return value;
  }

  /** A StrVector read into an array, then released on the server. */
  private async strings(method: string, ...args: unknown[]): Promise<string[]> {
    const vector = await this.session.call(method, ...args);
    if (!(vector instanceof JavaObject)) throw this.unexpected(method, 'a StrVector', vector);
    try {
      const size = await vector.call('size');
      if (typeof size !== 'number') throw this.unexpected(`${method} size()`, 'a number', size);
      const values: string[] = [];
      for (let i = 0; i < size; i++) values.push(String(await vector.call('get', typed('int', i))));
      return values;
    } finally {
      await vector.release();
    }
  }

  private async enumName(value: JavaResult, method: string): Promise<string> {
    if (typeof value === 'string') return value;
    if (!(value instanceof JavaObject)) throw this.unexpected(method, 'an enum', value);
    try {
      return String(await value.call('toString'));
    } finally {
      await value.release();
    }
  }

  private pixels(value: JavaResult, geometry: ImageGeometry, method: string): Uint8Array | Uint16Array {
    if (value instanceof Uint16Array || value instanceof Uint8Array) {
      if (value.length !== geometry.width * geometry.height) {
        this.geometry = undefined;
        throw new BridgeProtocolError(`${method}: ${value.length} pixels for a ${geometry.width}×${geometry.height} image`, this.endpoint, method);
      }
      return value;
    }
    throw this.unexpected(method, 'an 8- or 16-bit pixel array', value);
  }

  private async readTagged(value: JavaResult, method: string): Promise<TaggedCoreImage> {
    if (!(value instanceof JavaObject)) throw this.unexpected(method, 'a TaggedImage', value);
    try {
      const pix = await value.field('pix');
      const tags = await value.field('tags');
      if (typeof tags !== 'object' || tags === null || ArrayBuffer.isView(tags) || tags instanceof JavaObject) {
        throw this.unexpected(`${method} tags`, 'a JSON object', tags);
      }
      const record = tags as Record<string, unknown>;
      const width = Number(record.Width);
      const height = Number(record.Height);
      const geometry =
        Number.isInteger(width) && Number.isInteger(height)
          ? { width, height, bytesPerPixel: pix instanceof Uint8Array ? 1 : 2, bitDepth: Number(record.BitDepth) || (pix instanceof Uint8Array ? 8 : 16) }
          : await this.getImageGeometry();
      return { ...geometry, pixels: this.pixels(pix, geometry, method), tags: record };
    } finally {
      await value.release();
    }
  }

  private unexpected(method: string, wanted: string, got: unknown): BridgeProtocolError {
    const what = got instanceof JavaObject ? got.className : ArrayBuffer.isView(got) ? got.constructor.name : typeof got;
    return new BridgeProtocolError(`${method} on ${this.endpoint}: expected ${wanted}, got ${what}`, this.endpoint, method);
  }
}

export function connectMicroManager(options: MicroManagerConnectOptions = {}): MicroManagerCore {
  const transport = new BridgeTransport({
    endpoint: options.endpoint ?? DEFAULT_ENDPOINT,
    timeoutMs: options.timeoutMs ?? 5000,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 5000,
  });
  return new MicroManagerCore(transport);
}
