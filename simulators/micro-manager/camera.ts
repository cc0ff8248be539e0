/**
 * The simulated DemoCamera: image geometry and pixel format from its properties, frames rendered by the
 * virtual specimen under the current stage position, focus, illumination and exposure. FastImage=1 reuses the
 * last rendered frame (no re-rendering), so benchmarks measure the bridge rather than the renderer.
 */
import type { CameraModel, ImagingConditions, Specimen } from '../sample/contract';
import { FocusDrift, SimulatedClock } from './focus-drift';
import type { LightPath } from './light-path';
import type { SimCore } from './sim-core';
import { MULTI_CAMERA_PHYSICAL } from './device-library';
import { CoreError, type SimDevice } from './sim-device';
import type { Stages } from './stages';

export interface SimImage {
  readonly pixels: Uint16Array | Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly bytesPerPixel: number;
  readonly bitDepth: number;
}

/** Numerical aperture of the objective named by the current label ("Nikon 40X Plan Fluor" → 0.75). */
const NA_BY_MAGNIFICATION: Record<string, number> = { '4': 0.13, '10': 0.3, '20': 0.5, '40': 0.75, '60': 1.4, '100': 1.4 };
const QUANTUM_EFFICIENCY = 0.8;
/** Pixel size used for rendering when no pixel-size preset matches (MMCore then reports 0). */
const FALLBACK_PIXEL_SIZE_UM = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SimCamera {
  private snapped?: readonly SimImage[];
  private readonly fastFrames = new Map<string, SimImage>();

  constructor(
    private readonly core: SimCore,
    private readonly specimen: Specimen,
    private readonly stages: Stages,
    private readonly light: LightPath,
    private readonly clock = new SimulatedClock(),
    private readonly drift = new FocusDrift(0, clock),
  ) {}

  /** The core's camera: a physical camera, or a Multi Camera in front of several. */
  device(): SimDevice {
    return this.core.roleDevice('Camera', 'Camera not loaded or initialized.');
  }

  /** The physical cameras behind the core's camera, in channel order (one unless it is a Multi Camera). */
  physical(of: SimDevice = this.device()): SimDevice[] {
    if (of.adapter !== 'Multi Camera') return [of];
    const labels = MULTI_CAMERA_PHYSICAL.map((name) => of.get(name)).filter((label) => label !== 'Undefined' && label !== '');
    if (labels.length === 0) throw new CoreError(`Error in device "${of.label}": no physical camera is assigned`);
    return labels.map((label) => {
      const camera = this.core.device(label);
      if (camera.type !== 'CameraDevice') throw new CoreError(`Error in device "${of.label}": "${label}" is not a camera`);
      return camera;
    });
  }

  /** The camera whose settings (size, pixel type, exposure) the core reports: the first physical one. */
  private sensor(): SimDevice {
    return this.physical()[0];
  }

  width(): number {
    const camera = this.sensor();
    return Math.floor(camera.number('OnCameraCCDXSize') / camera.number('Binning'));
  }

  height(): number {
    const camera = this.sensor();
    return Math.floor(camera.number('OnCameraCCDYSize') / camera.number('Binning'));
  }

  bytesPerPixel(): number {
    return this.sensor().get('PixelType') === '8bit' ? 1 : 2;
  }

  bitDepth(): number {
    return this.bytesPerPixel() === 1 ? 8 : this.sensor().number('BitDepth');
  }

  binning(): string {
    return this.sensor().get('Binning');
  }

  pixelType(): 'GRAY8' | 'GRAY16' {
    return this.bytesPerPixel() === 1 ? 'GRAY8' : 'GRAY16';
  }

  exposureMs(): number {
    return this.sensor().number('Exposure');
  }

  /** snapImage: opens the shutter under AutoShutter, exposes for the exposure time in wall time, keeps the frame. */
  async snap(): Promise<void> {
    const startMs = Date.now();
    const exposureMs = this.exposureMs();
    const shutter = this.core.role('Shutter');
    const autoShutter = this.core.getProperty('Core', 'AutoShutter') === '1' && shutter !== '' && !this.light.isShutterOpen(shutter);
    // The device opens directly, as MMCore does under AutoShutter: the state cache does not see it.
    if (autoShutter) this.core.device(shutter).force('State', '1');
    try {
      const images = this.physical().map((camera) => this.render(camera));
      await sleep(exposureMs - (Date.now() - startMs));
      this.snapped = images;
    } finally {
      if (autoShutter) this.core.device(shutter).force('State', '0');
    }
  }

  /** The last snapped image of a camera channel; before any snap, the camera's (black) buffer, as DemoCamera returns. */
  image(channel = 0): SimImage {
    const width = this.width();
    const height = this.height();
    if (this.snapped) {
      const image = this.snapped[channel];
      if (!image) throw new CoreError(`Camera channel ${channel} does not exist (the camera has ${this.snapped.length})`);
      return image;
    }
    const pixels = this.bytesPerPixel() === 1 ? new Uint8Array(width * height) : new Uint16Array(width * height);
    return { pixels, width, height, bytesPerPixel: this.bytesPerPixel(), bitDepth: this.bitDepth() };
  }

  /** One frame as a physical camera sees the specimen now (or the reused frame when FastImage is 1). */
  render(camera: SimDevice = this.sensor()): SimImage {
    const width = this.width();
    const height = this.height();
    const bytesPerPixel = this.bytesPerPixel();
    const bitDepth = this.bitDepth();
    const fast = camera.get('FastImage') === '1';
    const cached = this.fastFrames.get(camera.label);
    if (
      fast &&
      cached &&
      cached.width === width &&
      cached.height === height &&
      cached.bytesPerPixel === bytesPerPixel &&
      cached.bitDepth === bitDepth
    ) {
      return cached;
    }
    const model: CameraModel = {
      widthPx: width,
      heightPx: height,
      pixelSizeUm: this.core.unbinnedPixelSizeUm() || FALLBACK_PIXEL_SIZE_UM,
      bitDepth,
      offsetAdu: camera.number('Offset'),
      gainAduPerElectron: 1 / camera.number('Photon Conversion Factor'),
      readNoiseElectrons: camera.number('ReadNoise (electrons)'),
      quantumEfficiency: QUANTUM_EFFICIENCY,
      binning: camera.number('Binning'),
    };
    const wide = this.specimen.render(this.conditions(camera.get('Mode') === 'Noise'), model);
    const pixels = bytesPerPixel === 1 ? Uint8Array.from(wide) : wide;
    const image: SimImage = { pixels, width, height, bytesPerPixel, bitDepth };
    if (fast) this.fastFrames.set(camera.label, image);
    else this.fastFrames.delete(camera.label);
    return image;
  }

  private conditions(darkFrame: boolean): ImagingConditions {
    const focus = this.core.role('Focus');
    const xy = this.core.role('XYStage');
    const position = xy ? this.stages.getXY(xy) : { x: 0, y: 0 };
    const light = this.light.illumination();
    return {
      stageXUm: position.x,
      stageYUm: position.y,
      // The specimen rising by the drift is the focus sitting that much lower relative to it.
      focusZUm: (focus ? this.stages.getZ(focus) : 0) - this.drift.offsetUm(),
      exposureMs: this.exposureMs(),
      illuminationPowerMw: darkFrame ? 0 : light.powerMw,
      excitationWavelengthNm: light.excitationNm,
      emissionWavelengthNm: light.emissionNm,
      numericalAperture: this.numericalAperture(),
      timeS: this.clock.elapsedS(),
    };
  }

  private numericalAperture(): number {
    const objective = [...this.core.devices.values()].find((d) => d.adapter === 'DObjective');
    const match = objective ? /(\d+)\s*X/i.exec(objective.properties.get('Label')?.value ?? '') : null;
    return (match && NA_BY_MAGNIFICATION[match[1]]) || 0.5;
  }

  /** Guards operations MMCore refuses during a sequence acquisition. */
  static refuseDuringSequence(running: boolean): void {
    if (running) throw new CoreError('Action not allowed during sequence acquisition');
  }
}
