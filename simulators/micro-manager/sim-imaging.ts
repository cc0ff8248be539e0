import type { CameraModel, ImagingConditions, Specimen } from '../sample/contract';
import { CoreError } from './sim-device';
import type { SimCore } from './sim-core';

export interface SimImage {
  readonly pixels: Uint16Array | Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly bytesPerPixel: number;
  readonly bitDepth: number;
  readonly tags: Record<string, string | number>;
}

const NA_BY_MAGNIFICATION: Record<string, number> = { '4': 0.13, '10': 0.3, '20': 0.5, '40': 0.75, '60': 1.4, '100': 1.4 };

/**
 * The imaging side of the simulated MMCore: camera exposure and snaps rendered from the virtual specimen, the
 * circular buffer of sequence acquisitions, stage motion with finite speed, shutters and autofocus.
 */
export class SimImaging {
  private lastImage?: SimImage;
  private buffer: SimImage[] = [];
  private overflowed = false;
  private sequence?: { remaining: number; timer: NodeJS.Timeout; stopOnOverflow: boolean; startedMs: number; imageNumber: number };
  private bufferMb = 250;
  private readonly startMs = Date.now();
  private cachedNoiseFrame?: SimImage;

  constructor(
    private readonly core: SimCore,
    private readonly specimen: Specimen,
  ) {}

  camera() {
    const label = this.core.role('Camera');
    if (!label) throw new CoreError('Camera not loaded or initialized.');
    return this.core.device(label);
  }

  imageWidth(): number {
    const camera = this.camera();
    return Math.floor(camera.number('OnCameraCCDXSize') / camera.number('Binning'));
  }

  imageHeight(): number {
    const camera = this.camera();
    return Math.floor(camera.number('OnCameraCCDYSize') / camera.number('Binning'));
  }

  bytesPerPixel(): number {
    return this.camera().get('PixelType') === '8bit' ? 1 : 2;
  }

  bitDepth(): number {
    return this.bytesPerPixel() === 1 ? 8 : this.camera().number('BitDepth');
  }

  exposureMs(): number {
    return this.camera().number('Exposure');
  }

  async snap(): Promise<void> {
    if (this.sequence) throw new CoreError('Sequence acquisition is running: snapImage is not allowed');
    const autoShutter = this.core.getProperty('Core', 'AutoShutter') === '1';
    const exposureMs = this.exposureMs();
    const opened = autoShutter && !this.shutterOpen();
    if (opened) this.setShutterOpen(true);
    try {
      const image = this.render();
      await new Promise((resolve) => setTimeout(resolve, exposureMs));
      this.lastImage = image;
    } finally {
      if (opened) this.setShutterOpen(false);
    }
  }

  image(): SimImage {
    if (!this.lastImage) throw new CoreError('Camera image buffer read failed.');
    return this.lastImage;
  }

  shutterOpen(label = this.core.role('Shutter')): boolean {
    if (!label) return false;
    return this.core.getProperty(label, 'State') === '1';
  }

  setShutterOpen(open: boolean, label = this.core.role('Shutter')): void {
    if (!label) throw new CoreError('Shutter not loaded or initialized.');
    this.core.device(label).set('State', open ? '1' : '0');
  }

  // ---- stages ----

  setXY(label: string, x: number, y: number): void {
    const stage = this.requireType(label, 'XYStageDevice');
    const distance = Math.hypot(x - this.core.xyPositionUm.x, y - this.core.xyPositionUm.y);
    stage.busyUntilMs = Date.now() + (distance / stage.number('Speed_um/s')) * 1000;
    this.core.xyPositionUm = { x, y };
  }

  setZ(label: string, z: number): void {
    const stage = this.requireType(label, 'StageDevice');
    const distance = Math.abs(z - stage.number('Position'));
    stage.busyUntilMs = Date.now() + (distance / stage.number('Speed_um/s')) * 1000;
    stage.set('Position', String(z));
  }

  getZ(label: string): number {
    return this.requireType(label, 'StageDevice').number('Position');
  }

  async waitForDevice(label: string): Promise<void> {
    const device = this.core.device(label);
    const waitMs = device.busyUntilMs - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  busy(label: string): boolean {
    return this.core.device(label).isBusy();
  }

  /** The demo autofocus: moves the focus stage onto the coverslip's fluorescent layer. */
  async fullFocus(): Promise<void> {
    const focus = this.core.role('Focus');
    if (!this.core.role('AutoFocus')) throw new CoreError('Autofocus device not loaded or initialized.');
    if (!focus) throw new CoreError('Focus stage not loaded or initialized.');
    this.setZ(focus, 0.4);
    await this.waitForDevice(focus);
  }

  // ---- sequence acquisition ----

  startSequence(count: number, intervalMs: number, stopOnOverflow: boolean): void {
    if (this.sequence) throw new CoreError('Sequence acquisition is already running');
    if (!(count > 0)) throw new CoreError(`Invalid number of images: ${count}`);
    this.buffer = [];
    this.overflowed = false;
    const periodMs = Math.max(this.exposureMs(), intervalMs, 0.2);
    const capacity = this.bufferCapacity();
    const sequence = {
      remaining: count,
      stopOnOverflow,
      startedMs: Date.now(),
      imageNumber: 0,
      timer: setInterval(() => {
        // Catch up on frames the event loop could not deliver at their time.
        const due = Math.floor((Date.now() - sequence.startedMs) / periodMs) + 1 - sequence.imageNumber;
        for (let i = 0; i < due && sequence.remaining > 0; i++) {
          if (this.buffer.length >= capacity) {
            this.overflowed = true;
            if (sequence.stopOnOverflow) {
              this.stopSequence();
              return;
            }
            this.buffer.shift();
          }
          const image = this.render();
          this.buffer.push({
            ...image,
            tags: {
              ...image.tags,
              'ElapsedTime-ms': Date.now() - sequence.startedMs,
              ImageNumber: String(sequence.imageNumber),
              Camera: this.camera().label,
            },
          });
          sequence.imageNumber++;
          if (Number.isFinite(sequence.remaining)) sequence.remaining--;
        }
        if (sequence.remaining <= 0) this.stopSequence();
      }, Math.max(1, Math.min(periodMs, 20))),
    };
    this.sequence = sequence;
    if (this.core.getProperty('Core', 'AutoShutter') === '1' && this.core.role('Shutter')) this.setShutterOpen(true);
  }

  stopSequence(): void {
    if (!this.sequence) return;
    clearInterval(this.sequence.timer);
    this.sequence = undefined;
    if (this.core.getProperty('Core', 'AutoShutter') === '1' && this.core.role('Shutter')) this.setShutterOpen(false);
  }

  isSequenceRunning(): boolean {
    return this.sequence !== undefined;
  }

  remainingImageCount(): number {
    return this.buffer.length;
  }

  popNext(): SimImage {
    if (this.overflowed && this.buffer.length === 0) throw new CoreError('Circular buffer overflowed.');
    const image = this.buffer.shift();
    if (!image) throw new CoreError('Circular buffer is empty.');
    return image;
  }

  lastBuffered(): SimImage {
    const image = this.buffer[this.buffer.length - 1] ?? this.lastImage;
    if (!image) throw new CoreError('Circular buffer is empty.');
    return image;
  }

  isOverflowed(): boolean {
    return this.overflowed;
  }

  clearBuffer(): void {
    this.buffer = [];
    this.overflowed = false;
  }

  setBufferMb(mb: number): void {
    this.bufferMb = mb;
  }

  bufferCapacity(): number {
    const frameBytes = this.imageWidth() * this.imageHeight() * this.bytesPerPixel();
    return Math.max(1, Math.floor((this.bufferMb * 1024 * 1024) / frameBytes));
  }

  freeCapacity(): number {
    return this.bufferCapacity() - this.buffer.length;
  }

  dispose(): void {
    this.stopSequence();
  }

  /** Light reaching the sample now, mW: the LED's output while the light path's shutter is open. */
  illuminationMw(): number {
    if (!this.shutterOpen()) return 0;
    const led = [...this.core.devices.values()].find((d) => d.library === 'SimulatedLight');
    if (!led) return this.shutterOpen() ? 10 : 0;
    if (led.get('State') !== '1') return 0;
    return (led.number('Intensity') / 100) * led.number('MaxPower_mW');
  }

  private render(): SimImage {
    const camera = this.camera();
    const width = this.imageWidth();
    const height = this.imageHeight();
    const bytesPerPixel = this.bytesPerPixel();
    const bitDepth = this.bitDepth();
    const fast = camera.get('FastImage') === '1';
    if (fast && this.cachedNoiseFrame && this.cachedNoiseFrame.width === width && this.cachedNoiseFrame.height === height && this.cachedNoiseFrame.bytesPerPixel === bytesPerPixel) {
      return { ...this.cachedNoiseFrame, tags: this.tags(width, height, bitDepth) };
    }
    const model: CameraModel = {
      widthPx: width,
      heightPx: height,
      pixelSizeUm: this.core.pixelSizeUm(),
      bitDepth,
      offsetAdu: camera.number('Offset'),
      gainAduPerElectron: camera.number('Photon Conversion Factor'),
      readNoiseElectrons: camera.number('ReadNoise (electrons)'),
      quantumEfficiency: camera.number('QuantumEfficiency'),
      binning: 1,
    };
    const wide = this.specimen.render(this.conditions(), model);
    const pixels = bytesPerPixel === 1 ? Uint8Array.from(wide) : wide;
    const image: SimImage = { pixels, width, height, bytesPerPixel, bitDepth, tags: this.tags(width, height, bitDepth) };
    if (fast) this.cachedNoiseFrame = image;
    return image;
  }

  private conditions(): ImagingConditions {
    const focus = this.core.role('Focus');
    const led = [...this.core.devices.values()].find((d) => d.library === 'SimulatedLight');
    const excitationNm = led ? led.number('Wavelength') : 488;
    return {
      stageXUm: this.core.xyPositionUm.x,
      stageYUm: this.core.xyPositionUm.y,
      focusZUm: focus ? this.getZ(focus) : 0,
      exposureMs: this.exposureMs(),
      illuminationPowerMw: this.illuminationMw(),
      excitationWavelengthNm: excitationNm,
      emissionWavelengthNm: excitationNm + 40,
      numericalAperture: this.numericalAperture(),
      timeS: (Date.now() - this.startMs) / 1000,
    };
  }

  private numericalAperture(): number {
    const objective = this.core.devices.get('Objective');
    const match = objective ? /(\d+)\s*X/i.exec(objective.properties.get('Label')?.value ?? '') : null;
    return (match && NA_BY_MAGNIFICATION[match[1]]) || 0.5;
  }

  private tags(width: number, height: number, bitDepth: number): Record<string, string | number> {
    const camera = this.camera();
    const pixelSizeUm = this.core.pixelSizeUm();
    const channelGroup = this.core.getProperty('Core', 'ChannelGroup');
    return {
      ...this.core.systemStateTags(),
      Binning: camera.get('Binning'),
      BitDepth: bitDepth,
      CameraChannelIndex: 0,
      Channel: channelGroup ? this.core.currentConfig(channelGroup) : '',
      ChannelIndex: 0,
      Frame: 0,
      FrameIndex: 0,
      Height: height,
      PixelSizeAffine: `${pixelSizeUm};0.0;0.0;0.0;${pixelSizeUm};0.0`,
      PixelSizeUm: pixelSizeUm,
      PixelType: this.bytesPerPixel() === 1 ? 'GRAY8' : 'GRAY16',
      Position: 'Default',
      PositionIndex: 0,
      ROI: `0-0-${width}-${height}`,
      Slice: 0,
      SliceIndex: 0,
      Width: width,
    };
  }

  private requireType(label: string, type: 'XYStageDevice' | 'StageDevice') {
    const device = this.core.device(label);
    if (device.type !== type) throw new CoreError(`Device "${label}" is not a ${type}`);
    return device;
  }
}
