import { CoreError, SimDevice, prop } from './sim-device';

const numbers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

function camera(label: string): SimDevice {
  return new SimDevice(label, 'DemoCamera', 'DCam', 'CameraDevice', 'Demo Camera Device Adapter', {
    CameraName: prop('DemoCamera-MultiMode', { readOnly: true }),
    CameraID: prop('V1.0', { readOnly: true }),
    Exposure: prop(10, { type: 'Float', lower: 0, upper: 10000 }),
    Binning: prop('1', { type: 'Integer', allowed: ['1', '2', '4', '8'] }),
    PixelType: prop('16bit', { allowed: ['8bit', '16bit'] }),
    BitDepth: prop('16', { type: 'Integer', allowed: ['8', '10', '12', '14', '16'] }),
    OnCameraCCDXSize: prop(512, { lower: 16, upper: 2048 }),
    OnCameraCCDYSize: prop(512, { lower: 16, upper: 2048 }),
    Mode: prop('Specimen', { allowed: ['Specimen', 'Noise'] }),
    FastImage: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    'ReadNoise (electrons)': prop(2.5, { type: 'Float', lower: 0, upper: 100 }),
    Offset: prop(100, { lower: 0, upper: 10000 }),
    'Photon Conversion Factor': prop(1, { type: 'Float', lower: 0.01, upper: 100 }),
    QuantumEfficiency: prop(0.8, { type: 'Float', lower: 0.01, upper: 1 }),
    ReadoutTime: prop(0, { type: 'Float', lower: 0, upper: 1000 }),
    CCDTemperature: prop(0, { type: 'Float', lower: -100, upper: 10 }),
    'CCDTemperature RO': prop(0, { type: 'Float', readOnly: true }),
    MaximumExposureMs: prop(10000, { type: 'Float', readOnly: true }),
    TransposeMirrorX: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    TransposeMirrorY: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    TransposeXY: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    TransposeCorrection: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    ScanMode: prop('1', { type: 'Integer', allowed: ['1', '2', '3'] }),
    UseExposureSequences: prop('No', { allowed: ['Yes', 'No'] }),
    HubID: prop(''),
    ...demoCameraExtras(),
  });
}

/** DemoCamera's test and effect properties: kept so image tags list what the real adapter lists. */
function demoCameraExtras() {
  const floats = ['TestProperty1', 'TestProperty2', 'TestProperty3', 'TestProperty4', 'TestProperty5', 'TestProperty6'];
  return {
    ...Object.fromEntries(floats.map((name) => [name, prop(0, { type: 'Float' })])),
    BeadBlurRate: prop(0.5, { type: 'Float' }),
    BeadSize: prop(2, { type: 'Float' }),
    BeadDensity: prop(100, { type: 'Integer' }),
    BeadBrightness: prop(1, { type: 'Float' }),
    'Photon Flux': prop(50, { type: 'Float' }),
    Gain: prop(0, { type: 'Integer', lower: -5, upper: 8 }),
    StripeWidth: prop(1, { type: 'Float' }),
    SimulateCrash: prop(''),
    RotateImages: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    DisplayImageNumber: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    FractionOfPixelsToDropOrSaturate: prop(0.002, { type: 'Float' }),
    SaturatePixels: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    DropPixels: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    MultiROIFillValue: prop('0', { type: 'Integer' }),
    AllowMultiROI: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    AsyncPropertyLeader: prop(''),
    AsyncPropertyFollower: prop(''),
    AsyncPropertyDelayMS: prop('2000', { type: 'Integer' }),
    TriggerDevice: prop(''),
  };
}

function wheel(label: string, adapter: string, positions: number, description: string): SimDevice {
  const device = new SimDevice(label, 'DemoCamera', adapter, 'StateDevice', description, {
    State: prop('0', { type: 'Integer', allowed: numbers(0, positions - 1) }),
    Label: prop('State-0', { allowed: Array.from({ length: positions }, (_, i) => `State-${i}`) }),
    HubID: prop(''),
  });
  if (adapter === 'DWheel') device.properties.set('ClosedPosition', prop('0', { type: 'Integer', allowed: numbers(0, positions - 1) }));
  if (adapter === 'DObjective') device.properties.set('Trigger', prop('-'));
  return device;
}

function zStage(label: string): SimDevice {
  return new SimDevice(label, 'DemoCamera', 'DStage', 'StageDevice', 'Demo stage driver', {
    Position: prop(0, { type: 'Float', lower: -10000, upper: 10000 }),
    UseSequences: prop('No', { allowed: ['Yes', 'No'] }),
    'Speed_um/s': prop(1000, { type: 'Float', lower: 1, upper: 100000 }),
    HubID: prop(''),
  });
}

function xyStage(label: string): SimDevice {
  return new SimDevice(label, 'DemoCamera', 'DXYStage', 'XYStageDevice', 'Demo XY stage driver', {
    Velocity: prop(10, { type: 'Float', lower: 0.1, upper: 1000 }),
    'Speed_um/s': prop(10000, { type: 'Float', lower: 1, upper: 1000000 }),
    TransposeMirrorX: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    TransposeMirrorY: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    UsesCallbacks: prop('Yes', { readOnly: true }),
    HubID: prop(''),
  });
}

function shutter(label: string): SimDevice {
  return new SimDevice(label, 'DemoCamera', 'DShutter', 'ShutterDevice', 'Demo shutter driver', {
    State: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    HubID: prop(''),
  });
}

/** An LED light source the demo configuration lacks: a shutter-type device with an intensity. */
export function ledSource(label: string): SimDevice {
  return new SimDevice(label, 'SimulatedLight', 'LED', 'ShutterDevice', 'Simulated LED light source', {
    State: prop('0', { type: 'Integer', allowed: ['0', '1'] }),
    Wavelength: prop('470', { type: 'Integer', allowed: ['385', '470', '555', '640'] }),
    Intensity: prop(10, { type: 'Float', lower: 0, upper: 100 }),
    MaxPower_mW: prop(100, { type: 'Float', readOnly: true }),
  });
}

export function createDevice(label: string, library: string, adapter: string): SimDevice {
  if (library === 'SimulatedLight') return ledSource(label);
  if (library !== 'DemoCamera') throw new CoreError(`Device adapter library "${library}" is not available in the simulator`);
  switch (adapter) {
    case 'DCam':
      return camera(label);
    case 'DWheel':
      return wheel(label, adapter, 10, 'Demo filter wheel driver');
    case 'DObjective':
      return wheel(label, adapter, 6, 'Demo objective turret driver');
    case 'DLightPath':
      return wheel(label, adapter, 3, 'Demo light-path driver');
    case 'DStage':
      return zStage(label);
    case 'DXYStage':
      return xyStage(label);
    case 'DShutter':
      return shutter(label);
    case 'DAutoFocus':
      return new SimDevice(label, 'DemoCamera', adapter, 'AutoFocusDevice', 'Demo auto-focus adapter', { HubID: prop('') });
    case 'DHub':
      return new SimDevice(label, 'DemoCamera', adapter, 'HubDevice', 'DemoHub');
    default:
      throw new CoreError(`Device "${adapter}" is not available in library DemoCamera (simulator)`);
  }
}
