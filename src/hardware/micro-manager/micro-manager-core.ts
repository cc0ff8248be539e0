import type { Observable } from 'rxjs';
import type { PropertyLimits } from '../devices';
import { BridgeProtocolError } from './errors';
import { CoreSession } from './core-session';
import { expectedElements, geometryFromTags, isCorePixels, mayChangeGeometry, type CorePixels, type ImageGeometry } from './image-geometry';
import type { CallOptions, JavaObject, JavaResult, JsonObject } from './java-object';
import { typed } from './overload-selection';
import {
  readConfiguration,
  readEnumName,
  readPoint2D,
  readStrVector,
  readTaggedImage,
  unexpectedResult,
  type PresetSetting,
} from './remote-readers';
import type { BridgeTransport, ConnectionState } from './transport';

export interface CoreImage extends ImageGeometry {
  /** A view over the received message, not a copy. */
  readonly pixels: CorePixels;
}

export interface TaggedCoreImage extends CoreImage {
  readonly tags: JsonObject;
}

/**
 * A typed facade over the CMMCore calls the service needs, spoken through Micro-Manager's ZeroMQ bridge with
 * MMCoreJ's Java names and overloads. Image geometry is cached and refreshed when a setting that can change it
 * is written through this facade, or when a frame's size disagrees with the cache.
 */
export class MicroManagerCore {
  private readonly session: CoreSession;
  private geometry?: Promise<ImageGeometry>;
  private cameraLabel?: string;
  private exposureMs?: number;

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
    this.session.dispose();
    this.transport.close();
  }

  /** The remote CMMCore itself, for calls this facade does not wrap. */
  coreObject(): Promise<JavaObject> {
    return this.session.getCore();
  }

  /** Any CMMCore method by its Java name; use `typed()` where JS types cannot pick the overload. */
  invoke(method: string, args: readonly unknown[] = [], options?: CallOptions): Promise<JavaResult> {
    return this.session.invoke(method, args, options);
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
  getDeviceType = async (label: string) => readEnumName(await this.invoke('getDeviceType', [label]), 'getDeviceType', this.endpoint);

  // ---- properties ----
  getProperty = (label: string, name: string) => this.string('getProperty', label, name);
  hasProperty = (label: string, name: string) => this.boolean('hasProperty', label, name);
  getAllowedPropertyValues = (label: string, name: string) => this.strings('getAllowedPropertyValues', label, name);
  isPropertyReadOnly = (label: string, name: string) => this.boolean('isPropertyReadOnly', label, name);
  hasPropertyLimits = (label: string, name: string) => this.boolean('hasPropertyLimits', label, name);
  getPropertyLowerLimit = (label: string, name: string) => this.number('getPropertyLowerLimit', label, name);
  getPropertyUpperLimit = (label: string, name: string) => this.number('getPropertyUpperLimit', label, name);
  getPropertyType = async (label: string, name: string) =>
    readEnumName(await this.invoke('getPropertyType', [label, name]), 'getPropertyType', this.endpoint);

  /** Sent as text (MMCore's own representation), so the value reaches the device exactly as written. */
  async setProperty(label: string, name: string, value: string | number | boolean): Promise<void> {
    if (mayChangeGeometry(label, name, this.cameraLabel)) this.geometry = undefined;
    if (label === this.cameraLabel && name === 'Exposure') this.exposureMs = undefined;
    await this.invoke('setProperty', [label, name, typed('java.lang.String', String(value))]);
  }

  async getPropertyLimits(label: string, name: string): Promise<PropertyLimits | undefined> {
    if (!(await this.hasPropertyLimits(label, name))) return undefined;
    return { lower: await this.getPropertyLowerLimit(label, name), upper: await this.getPropertyUpperLimit(label, name) };
  }

  // ---- configuration groups ----
  getAvailableConfigGroups = () => this.strings('getAvailableConfigGroups');
  getAvailableConfigs = (group: string) => this.strings('getAvailableConfigs', group);
  getCurrentConfig = (group: string) => this.string('getCurrentConfig', group);
  waitForConfig = (group: string, preset: string) => this.void('waitForConfig', group, preset);
  getChannelGroup = () => this.string('getChannelGroup');
  /** The settings a preset applies, in order. */
  getConfigData = async (group: string, preset: string): Promise<PresetSetting[]> =>
    readConfiguration(await this.invoke('getConfigData', [group, preset]), 'getConfigData', this.endpoint);

  async setConfig(group: string, preset: string): Promise<void> {
    this.geometry = undefined;
    this.exposureMs = undefined;
    await this.invoke('setConfig', [group, preset]);
  }

  // ---- roles ----
  getShutterDevice = () => this.string('getShutterDevice');
  getFocusDevice = () => this.string('getFocusDevice');
  getXYStageDevice = () => this.string('getXYStageDevice');
  getAutoFocusDevice = () => this.string('getAutoFocusDevice');

  async getCameraDevice(): Promise<string> {
    this.cameraLabel = await this.string('getCameraDevice');
    return this.cameraLabel;
  }

  // ---- camera ----
  getImageWidth = () => this.number('getImageWidth');
  getImageHeight = () => this.number('getImageHeight');
  getBytesPerPixel = () => this.number('getBytesPerPixel');
  getImageBitDepth = () => this.number('getImageBitDepth');
  getPixelSizeUm = () => this.number('getPixelSizeUm');

  async getExposure(): Promise<number> {
    this.exposureMs = await this.number('getExposure');
    return this.exposureMs;
  }

  async setExposure(exposureMs: number): Promise<void> {
    this.geometry = undefined;
    this.exposureMs = undefined;
    await this.invoke('setExposure', [typed('double', exposureMs)]);
    this.exposureMs = exposureMs;
  }

  /** The server blocks for the exposure, so by default the call may take the usual limit plus the exposure. */
  async snapImage(options: CallOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.transport.timeoutMs + (this.exposureMs ?? (await this.getExposure()));
    await this.invoke('snapImage', [], { timeoutMs });
  }

  async setROI(x: number, y: number, width: number, height: number): Promise<void> {
    this.geometry = undefined;
    await this.invoke('setROI', [typed('int', x), typed('int', y), typed('int', width), typed('int', height)]);
  }

  async clearROI(): Promise<void> {
    this.geometry = undefined;
    await this.invoke('clearROI');
  }

  /** Width, height, bytes per pixel and bit depth, cached until a setting that can change them is written. */
  getImageGeometry(): Promise<ImageGeometry> {
    if (!this.geometry) {
      const pending = (async () => ({
        width: await this.getImageWidth(),
        height: await this.getImageHeight(),
        bytesPerPixel: await this.getBytesPerPixel(),
        bitDepth: await this.getImageBitDepth(),
      }))();
      this.geometry = pending;
      pending.catch(() => {
        if (this.geometry === pending) this.geometry = undefined;
      });
    }
    return this.geometry;
  }

  getImage = () => this.image('getImage');
  /** The last snap's image from one physical camera behind a Multi Camera (channel 0 is getImage's). */
  getCameraChannelImage = (channel: number) => this.image('getImage', typed('long', channel));
  getNumberOfCameraChannels = () => this.number('getNumberOfCameraChannels');
  getCameraChannelName = (channel: number) => this.string('getCameraChannelName', typed('long', channel));
  popNextImage = () => this.image('popNextImage');
  getTaggedImage = () => this.taggedImage('getTaggedImage');
  popNextTaggedImage = () => this.taggedImage('popNextTaggedImage');
  getLastTaggedImage = () => this.taggedImage('getLastTaggedImage');

  // ---- sequence acquisition ----
  startSequenceAcquisition = (numImages: number, intervalMs: number, stopOnOverflow: boolean) =>
    this.void('startSequenceAcquisition', typed('int', numImages), typed('double', intervalMs), stopOnOverflow);
  startContinuousSequenceAcquisition = (intervalMs: number) => this.void('startContinuousSequenceAcquisition', typed('double', intervalMs));
  stopSequenceAcquisition = () => this.void('stopSequenceAcquisition');
  isSequenceRunning = () => this.boolean('isSequenceRunning');
  getRemainingImageCount = () => this.number('getRemainingImageCount');
  isBufferOverflowed = () => this.boolean('isBufferOverflowed');
  clearCircularBuffer = () => this.void('clearCircularBuffer');

  // ---- stages ----
  async getXYPosition(label?: string): Promise<{ x: number; y: number }> {
    const stage = label ?? (await this.getXYStageDevice());
    return { x: await this.number('getXPosition', stage), y: await this.number('getYPosition', stage) };
  }

  /** The same position through MMCore's Point2D.Double (released after reading). */
  getXYStagePosition = async (label?: string) =>
    readPoint2D(await this.invoke('getXYStagePosition', label === undefined ? [] : [label]), 'getXYStagePosition', this.endpoint);

  setXYPosition = (label: string, xUm: number, yUm: number) =>
    this.void('setXYPosition', label, typed('double', xUm), typed('double', yUm));
  setRelativeXYPosition = (label: string, dxUm: number, dyUm: number) =>
    this.void('setRelativeXYPosition', label, typed('double', dxUm), typed('double', dyUm));
  getPosition = (label: string) => this.number('getPosition', label);
  setPosition = (label: string, zUm: number) => this.void('setPosition', label, typed('double', zUm));
  setRelativePosition = (label: string, dzUm: number) => this.void('setRelativePosition', label, typed('double', dzUm));
  isStageSequenceable = (label: string) => this.boolean('isStageSequenceable', label);
  isPropertySequenceable = (label: string, name: string) => this.boolean('isPropertySequenceable', label, name);
  isExposureSequenceable = (cameraLabel: string) => this.boolean('isExposureSequenceable', cameraLabel);
  getStageSequenceMaxLength = (label: string) => this.number('getStageSequenceMaxLength', label);
  startStageSequence = (label: string) => this.void('startStageSequence', label);
  stopStageSequence = (label: string) => this.void('stopStageSequence', label);

  /** Loads focus positions the stage steps through, one per camera trigger (sent as an mmcorej.DoubleVector). */
  async loadStageSequence(label: string, positionsUm: readonly number[]): Promise<void> {
    const vector = await this.session.construct('mmcorej.DoubleVector');
    try {
      for (const zUm of positionsUm) await vector.invoke('add', [typed('java.lang.Double', zUm)]);
      await this.invoke('loadStageSequence', [label, vector]);
    } finally {
      await vector.release();
    }
  }

  waitForDevice = (label: string, options?: CallOptions) => this.invoke('waitForDevice', [label], options).then(() => undefined);
  waitForSystem = (options?: CallOptions) => this.invoke('waitForSystem', [], options).then(() => undefined);
  deviceBusy = (label: string) => this.boolean('deviceBusy', label);

  // ---- shutters, state devices, autofocus ----
  setShutterOpen = (open: boolean, label?: string) =>
    label ? this.void('setShutterOpen', label, open) : this.void('setShutterOpen', open);
  getShutterOpen = (label?: string) => (label ? this.boolean('getShutterOpen', label) : this.boolean('getShutterOpen'));
  setAutoShutter = (auto: boolean) => this.void('setAutoShutter', auto);
  getAutoShutter = () => this.boolean('getAutoShutter');
  getState = (label: string) => this.number('getState', label);
  setState = (label: string, state: number) => this.void('setState', label, typed('int', state));
  getStateLabel = (label: string) => this.string('getStateLabel', label);
  setStateLabel = (label: string, stateLabel: string) => this.void('setStateLabel', label, stateLabel);
  getStateLabels = (label: string) => this.strings('getStateLabels', label);
  fullFocus = (options?: CallOptions) => this.invoke('fullFocus', [], options).then(() => undefined);
  setAutoFocusDevice = (label: string) => this.void('setAutoFocusDevice', label);
  getAutoFocusOffset = () => this.number('getAutoFocusOffset');
  setAutoFocusOffset = (offsetUm: number) => this.void('setAutoFocusOffset', typed('double', offsetUm));

  // ---- conversions ----
  private async void(method: string, ...args: unknown[]): Promise<void> {
    await this.invoke(method, args);
  }

  private async string(method: string, ...args: unknown[]): Promise<string> {
    const value = await this.invoke(method, args);
    if (typeof value !== 'string') throw unexpectedResult(method, this.endpoint, 'a string', value);
    return value;
  }

  private async number(method: string, ...args: unknown[]): Promise<number> {
    const value = await this.invoke(method, args);
    if (typeof value !== 'number') throw unexpectedResult(method, this.endpoint, 'a number', value);
    return value;
  }

  private async boolean(method: string, ...args: unknown[]): Promise<boolean> {
    const value = await this.invoke(method, args);
    if (typeof value !== 'boolean') throw unexpectedResult(method, this.endpoint, 'a boolean', value);
    return value;
  }

  private async strings(method: string, ...args: unknown[]): Promise<string[]> {
    return readStrVector(await this.invoke(method, args), method, this.endpoint);
  }

  private async image(method: string, ...args: unknown[]): Promise<CoreImage> {
    const geometry = this.getImageGeometry();
    const pixels = await this.invoke(method, args);
    return this.checkedImage(await geometry, pixels, method, true);
  }

  private async taggedImage(method: string): Promise<TaggedCoreImage> {
    const { pix, tags } = await readTaggedImage(await this.invoke(method), method, this.endpoint);
    const geometry = geometryFromTags(tags, pix) ?? (await this.getImageGeometry());
    const image = await this.checkedImage(geometry, pix, method, !geometryFromTags(tags, pix));
    return {
      width: image.width,
      height: image.height,
      bytesPerPixel: image.bytesPerPixel,
      bitDepth: image.bitDepth,
      pixels: image.pixels,
      tags,
    };
  }

  /** Pixels that disagree with a cached geometry refresh the cache once (someone else changed the camera). */
  private async checkedImage(geometry: ImageGeometry, pixels: JavaResult, method: string, mayRefresh: boolean): Promise<CoreImage> {
    if (!ArrayBuffer.isView(pixels) || !isCorePixels(pixels))
      throw unexpectedResult(method, this.endpoint, 'an 8-, 16- or 32-bit pixel array', pixels);
    if (pixels.length === expectedElements(geometry, pixels)) {
      // Spelled out: with an object spread here V8 kept each frame until a full GC (3x the mark-compacts, measured).
      return { width: geometry.width, height: geometry.height, bytesPerPixel: geometry.bytesPerPixel, bitDepth: geometry.bitDepth, pixels };
    }
    if (mayRefresh) {
      this.geometry = undefined;
      return this.checkedImage(await this.getImageGeometry(), pixels, method, false);
    }
    throw new BridgeProtocolError(
      `${method} on ${this.endpoint}: ${pixels.length} pixel values for a ${geometry.width}×${geometry.height} image of ${geometry.bytesPerPixel} bytes per pixel`,
      this.endpoint,
      method,
    );
  }
}

/**
 * The core as the service outside the hardware module may use it: reading, moving, imaging. Property writes and
 * presets go through the LightGuard, and no raw call reaches CMMCore around it.
 */
export type MicroscopeCore = Omit<MicroManagerCore, 'setProperty' | 'setConfig' | 'invoke' | 'coreObject'>;
