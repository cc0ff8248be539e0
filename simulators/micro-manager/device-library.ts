/**
 * The device adapters the simulator can load: Micro-Manager's DemoCamera library (with the properties and
 * defaults the real adapters report) and a SimulatedLight LED the demo configuration lacks.
 */
import { CoreError, SimDevice, prop } from './sim-device';

const numbers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const flag = (value = '0') => prop(value, { type: 'Integer', allowed: ['0', '1'] });
const float = (value: number, lower?: number, upper?: number) => prop(value, { type: 'Float', lower, upper });

function camera(label: string): SimDevice {
  const testProperties = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`TestProperty${i + 1}`, float(0, -1, 1)]));
  return new SimDevice(label, 'DemoCamera', 'DCam', 'CameraDevice', 'Demo Camera Device Adapter', {
    AllowMultiROI: flag(),
    AsyncPropertyDelayMS: prop(2000, { type: 'Integer', lower: 0, upper: 10000 }),
    AsyncPropertyFollower: prop('', { readOnly: true }),
    AsyncPropertyLeader: prop(''),
    BeadBlurRate: float(0.5, 0, 5),
    BeadBrightness: float(1, 0, 100),
    BeadDensity: prop(100, { type: 'Integer', lower: 1, upper: 10000 }),
    BeadSize: float(2, 0.1, 20),
    Binning: prop('1', { type: 'Integer', allowed: ['1', '2', '4', '8'] }),
    BitDepth: prop('16', { type: 'Integer', allowed: ['8', '10', '12', '14', '16'] }),
    CCDTemperature: float(0, -100, 10),
    'CCDTemperature RO': prop(0, { type: 'Float', readOnly: true }),
    CameraID: prop('V1.0', { readOnly: true }),
    CameraName: prop('DemoCamera-MultiMode', { readOnly: true }),
    DisplayImageNumber: flag(),
    DropPixels: flag(),
    Exposure: float(10, 0, 10000),
    FastImage: flag(),
    FractionOfPixelsToDropOrSaturate: float(0.002, 0, 0.1),
    Gain: prop(0, { type: 'Integer', lower: -5, upper: 8 }),
    HubID: prop(''),
    MaximumExposureMs: float(10000),
    Mode: prop('Artificial Waves', { allowed: ['Artificial Waves', 'Beads', 'Color Test Pattern', 'Noise'] }),
    MultiROIFillValue: prop(0, { type: 'Integer', lower: 0, upper: 65536 }),
    Offset: prop(0, { type: 'Integer', lower: 0, upper: 10000 }),
    OnCameraCCDXSize: prop(512, { type: 'Integer', lower: 16, upper: 2048 }),
    OnCameraCCDYSize: prop(512, { type: 'Integer', lower: 16, upper: 2048 }),
    'Photon Conversion Factor': float(1, 0.01, 10),
    'Photon Flux': float(50, 2, 5000),
    PixelType: prop('16bit', { allowed: ['16bit', '8bit'] }),
    'ReadNoise (electrons)': float(2.5, 0.25, 50),
    ReadoutTime: float(0, 0, 1000),
    RotateImages: flag(),
    SaturatePixels: flag(),
    ScanMode: prop('1', { type: 'Integer', allowed: ['1', '2', '3'] }),
    SimulateCrash: prop('', { allowed: ['', 'Dereference Null Pointer', 'Divide by Zero'] }),
    StripeWidth: float(1, 0, 10),
    ...testProperties,
    TransposeCorrection: flag(),
    TransposeMirrorX: flag(),
    TransposeMirrorY: flag(),
    TransposeXY: flag(),
    TriggerDevice: prop(''),
    UseExposureSequences: prop('No', { allowed: ['No', 'Yes'] }),
  });
}

function stateDevice(
  label: string,
  adapter: string,
  positions: number,
  description: string,
  extra: Record<string, ReturnType<typeof prop>> = {},
): SimDevice {
  // The demo turret names its positions Objective-N, the wheels and the light path State-N.
  const name = (i: number) => `${adapter === 'DObjective' ? 'Objective' : 'State'}-${i}`;
  const device = new SimDevice(label, 'DemoCamera', adapter, 'StateDevice', description, {
    HubID: prop(''),
    Label: prop(name(0)),
    State: prop('0', { type: 'Integer', allowed: numbers(0, positions - 1) }),
    ...extra,
  });
  for (let i = 0; i < positions; i++) device.stateLabels.set(i, name(i));
  return device;
}

function zStage(label: string): SimDevice {
  return new SimDevice(label, 'DemoCamera', 'DStage', 'StageDevice', 'Demo stage driver', {
    HubID: prop(''),
    Position: float(0, -10000, 10000),
    UseSequences: prop('No', { allowed: ['No', 'Yes'] }),
  });
}

function xyStage(label: string): SimDevice {
  return new SimDevice(label, 'DemoCamera', 'DXYStage', 'XYStageDevice', 'Demo XY stage driver', {
    HubID: prop(''),
    TransposeMirrorX: flag(),
    TransposeMirrorY: flag(),
    UsesCallbacks: prop('Yes', { readOnly: true }),
    // mm/s, i.e. µm/ms, as the demo XY stage times its moves.
    Velocity: float(10, 0.001, 1000),
  });
}

export interface LightSourceOptions {
  readonly label?: string;
  readonly wavelengthsNm?: readonly number[];
  readonly maxPowerMw?: number;
  readonly intensityPercent?: number;
}

/** An LED the demo configuration lacks: a shutter-type device whose output is Intensity % of MaxPower_mW. */
export function ledSource(label: string, options: LightSourceOptions = {}): SimDevice {
  const wavelengths = (options.wavelengthsNm ?? [385, 470, 555, 640]).map(String);
  return new SimDevice(label, 'SimulatedLight', 'LED', 'ShutterDevice', 'Simulated LED light source', {
    Intensity: float(options.intensityPercent ?? 10, 0, 100),
    MaxPower_mW: prop(options.maxPowerMw ?? 100, { type: 'Float', readOnly: true }),
    State: flag('1'),
    Wavelength: prop(wavelengths.includes('470') ? '470' : wavelengths[0], { type: 'Integer', allowed: wavelengths }),
  });
}

/** Micro-Manager's Utilities/Multi Camera: one camera to the core, whose frames come from up to four physical ones. */
export const MULTI_CAMERA_PHYSICAL = ['Physical Camera 1', 'Physical Camera 2', 'Physical Camera 3', 'Physical Camera 4'] as const;

function multiCamera(label: string): SimDevice {
  const physical = Object.fromEntries(MULTI_CAMERA_PHYSICAL.map((name) => [name, prop('Undefined')]));
  return new SimDevice(label, 'Utilities', 'Multi Camera', 'CameraDevice', 'Combines multiple cameras into a single camera', physical);
}

/** Loads a device adapter; unknown ones become generic devices whose properties the configuration creates. */
export function createDevice(label: string, library: string, adapter: string): SimDevice {
  if (library === 'SimulatedLight') return ledSource(label);
  if (library === 'Utilities' && adapter === 'Multi Camera') return multiCamera(label);
  if (library !== 'DemoCamera') return new SimDevice(label, library, adapter, 'GenericDevice', `${adapter} (not simulated)`);
  switch (adapter) {
    case 'DCam':
      return camera(label);
    case 'DWheel':
      return stateDevice(label, adapter, 10, 'Demo filter wheel driver', {
        ClosedPosition: prop('0', { type: 'Integer', allowed: numbers(0, 9) }),
      });
    case 'DObjective':
      return stateDevice(label, adapter, 6, 'Demo objective turret driver', { Trigger: prop('-', { allowed: ['-', '+'] }) });
    case 'DLightPath':
      return stateDevice(label, adapter, 3, 'Demo light-path driver');
    case 'DStage':
      return zStage(label);
    case 'DXYStage':
      return xyStage(label);
    case 'DShutter':
      return new SimDevice(label, 'DemoCamera', adapter, 'ShutterDevice', 'Demo shutter driver', { HubID: prop(''), State: flag() });
    case 'DAutoFocus':
      return new SimDevice(label, 'DemoCamera', adapter, 'AutoFocusDevice', 'Demo auto-focus adapter', { HubID: prop('') });
    case 'DHub':
      return new SimDevice(label, 'DemoCamera', adapter, 'HubDevice', 'DemoHub');
    default:
      throw new CoreError(`Failed to load device "${adapter}" from adapter module "DemoCamera" (not available in the simulator)`);
  }
}
