import { DEVICE_TYPE_VALUES, JavaExceptionError, PROPERTY_TYPE_VALUES, javaEnum, listingOf, point2D, strVector, taggedImage } from './java-objects';
import { NONE, pixelArray, primitive, string, type JavaValue, type RemoteObject } from './remote-values';
import type { SimCore } from './sim-core';
import { CoreError } from './sim-device';
import type { SimImaging } from './sim-imaging';

type Args = readonly unknown[];
type Method = (args: Args) => JavaValue | Promise<JavaValue>;

const str = (args: Args, i: number) => String(args[i]);
const num = (args: Args, i: number) => Number(args[i]);
const bool = (args: Args, i: number) => args[i] === true;
const remote = (object: RemoteObject): JavaValue => ({ kind: 'remote', object });

/** The running CMMCore as the bridge hands it out: MMCoreJ's Java signatures mapped onto the simulated core. */
export function cmmcoreObject(core: SimCore, imaging: SimImaging): RemoteObject {
  const focus = () => {
    const label = core.role('Focus');
    if (!label) throw new CoreError('Focus stage not loaded or initialized.');
    return label;
  };
  const xyStage = () => {
    const label = core.role('XYStage');
    if (!label) throw new CoreError('XY stage not loaded or initialized.');
    return label;
  };
  const setProperty: Method = (a) => {
    const value = typeof a[2] === 'boolean' ? (a[2] ? '1' : '0') : String(a[2]);
    core.setProperty(str(a, 0), str(a, 1), value);
    return NONE;
  };
  const roleSetter = (role: 'Camera' | 'Shutter' | 'Focus' | 'XYStage' | 'AutoFocus'): Method => (a) => {
    core.setRole(role, str(a, 0));
    return NONE;
  };
  const setExposure = (ms: number) => {
    imaging.camera().set('Exposure', String(ms));
    return NONE;
  };
  const startSequence = (count: number, intervalMs: number, stopOnOverflow: boolean) => {
    imaging.startSequence(count, intervalMs, stopOnOverflow);
    return NONE;
  };

  const methods: Record<string, Method> = {
    'getVersionInfo()': () => string('MMCore version 12.5.0'),
    'getAPIVersionInfo()': () => string('Device API version 75, Module API version 10'),
    'getLoadedDevices()': () => remote(strVector(core.loadedDevices())),
    'getDeviceType(java.lang.String)': (a) => {
      const type = core.device(str(a, 0)).type;
      return remote(javaEnum('mmcorej.DeviceType', type, DEVICE_TYPE_VALUES[type] ?? 0));
    },
    'getDeviceLibrary(java.lang.String)': (a) => string(core.device(str(a, 0)).library),
    'getDeviceName(java.lang.String)': (a) => string(core.device(str(a, 0)).adapter),
    'getDeviceDescription(java.lang.String)': (a) => string(core.device(str(a, 0)).description),
    'getDevicePropertyNames(java.lang.String)': (a) => remote(strVector([...core.device(str(a, 0)).properties.keys()].sort())),
    'hasProperty(java.lang.String,java.lang.String)': (a) => primitive(core.device(str(a, 0)).properties.has(str(a, 1))),
    'getProperty(java.lang.String,java.lang.String)': (a) => string(core.getProperty(str(a, 0), str(a, 1))),
    'setProperty(java.lang.String,java.lang.String,java.lang.String)': setProperty,
    'setProperty(java.lang.String,java.lang.String,double)': setProperty,
    'setProperty(java.lang.String,java.lang.String,float)': setProperty,
    'setProperty(java.lang.String,java.lang.String,int)': setProperty,
    'setProperty(java.lang.String,java.lang.String,boolean)': setProperty,
    'getAllowedPropertyValues(java.lang.String,java.lang.String)': (a) =>
      remote(strVector(propertyOf(core, a).allowed ?? [])),
    'hasPropertyLimits(java.lang.String,java.lang.String)': (a) => primitive(propertyOf(core, a).lower !== undefined),
    'getPropertyLowerLimit(java.lang.String,java.lang.String)': (a) => primitive(propertyOf(core, a).lower ?? 0),
    'getPropertyUpperLimit(java.lang.String,java.lang.String)': (a) => primitive(propertyOf(core, a).upper ?? 0),
    'isPropertyReadOnly(java.lang.String,java.lang.String)': (a) => primitive(propertyOf(core, a).readOnly),
    'getPropertyType(java.lang.String,java.lang.String)': (a) => {
      const type = propertyOf(core, a).type;
      return remote(javaEnum('mmcorej.PropertyType', type, PROPERTY_TYPE_VALUES[type]));
    },
    'getAvailableConfigGroups()': () => remote(strVector([...core.groups.keys()].sort())),
    'getAvailableConfigs(java.lang.String)': (a) => remote(strVector([...core.presets(str(a, 0)).keys()].sort())),
    'getCurrentConfig(java.lang.String)': (a) => string(core.currentConfig(str(a, 0))),
    'setConfig(java.lang.String,java.lang.String)': (a) => {
      core.setConfig(str(a, 0), str(a, 1));
      return NONE;
    },
    'waitForConfig(java.lang.String,java.lang.String)': async (a) => {
      for (const s of core.presets(str(a, 0)).get(str(a, 1)) ?? []) if (s.device !== 'Core') await imaging.waitForDevice(s.device);
      return NONE;
    },
    'getChannelGroup()': () => string(core.getProperty('Core', 'ChannelGroup')),
    'setChannelGroup(java.lang.String)': (a) => {
      core.setProperty('Core', 'ChannelGroup', str(a, 0));
      return NONE;
    },
    'getCameraDevice()': () => string(core.role('Camera')),
    'getShutterDevice()': () => string(core.role('Shutter')),
    'getFocusDevice()': () => string(core.role('Focus')),
    'getXYStageDevice()': () => string(core.role('XYStage')),
    'getAutoFocusDevice()': () => string(core.role('AutoFocus')),
    'setCameraDevice(java.lang.String)': roleSetter('Camera'),
    'setShutterDevice(java.lang.String)': roleSetter('Shutter'),
    'setFocusDevice(java.lang.String)': roleSetter('Focus'),
    'setXYStageDevice(java.lang.String)': roleSetter('XYStage'),
    'setAutoFocusDevice(java.lang.String)': roleSetter('AutoFocus'),
    'setExposure(double)': (a) => setExposure(num(a, 0)),
    'setExposure(java.lang.String,double)': (a) => {
      core.device(str(a, 0)).set('Exposure', String(num(a, 1)));
      return NONE;
    },
    'getExposure()': () => primitive(imaging.exposureMs()),
    'getExposure(java.lang.String)': (a) => primitive(core.device(str(a, 0)).number('Exposure')),
    'snapImage()': async () => {
      await imaging.snap();
      return NONE;
    },
    'getImage()': () => pixelArray(imaging.image().pixels),
    'getImage(long)': () => pixelArray(imaging.image().pixels),
    'getTaggedImage()': () => remote(taggedImage(imaging.image())),
    'getTaggedImage(int)': () => remote(taggedImage(imaging.image())),
    'getImageWidth()': () => primitive(imaging.imageWidth()),
    'getImageHeight()': () => primitive(imaging.imageHeight()),
    'getBytesPerPixel()': () => primitive(imaging.bytesPerPixel()),
    'getImageBitDepth()': () => primitive(imaging.bitDepth()),
    'getNumberOfComponents()': () => primitive(1),
    'getImageBufferSize()': () => primitive(imaging.imageWidth() * imaging.imageHeight() * imaging.bytesPerPixel()),
    'getPixelSizeUm()': () => primitive(core.pixelSizeUm()),
    'getPixelSizeUm(boolean)': () => primitive(core.pixelSizeUm()),
    'getCurrentPixelSizeConfig()': () => string(core.currentPixelSizeConfig()),
    'getCurrentPixelSizeConfig(boolean)': () => string(core.currentPixelSizeConfig()),
    'startSequenceAcquisition(int,double,boolean)': (a) => startSequence(num(a, 0), num(a, 1), bool(a, 2)),
    'startSequenceAcquisition(java.lang.String,int,double,boolean)': (a) => {
      if (str(a, 0) !== core.role('Camera')) throw new CoreError(`Camera "${str(a, 0)}" is not the current camera`);
      return startSequence(num(a, 1), num(a, 2), bool(a, 3));
    },
    'startContinuousSequenceAcquisition(double)': (a) => startSequence(Number.POSITIVE_INFINITY, num(a, 0), false),
    'stopSequenceAcquisition()': () => {
      imaging.stopSequence();
      return NONE;
    },
    'stopSequenceAcquisition(java.lang.String)': () => {
      imaging.stopSequence();
      return NONE;
    },
    'isSequenceRunning()': () => primitive(imaging.isSequenceRunning()),
    'isSequenceRunning(java.lang.String)': () => primitive(imaging.isSequenceRunning()),
    'getRemainingImageCount()': () => primitive(imaging.remainingImageCount()),
    'popNextImage()': () => pixelArray(imaging.popNext().pixels),
    'popNextTaggedImage()': () => remote(taggedImage(imaging.popNext())),
    'popNextTaggedImage(int)': () => remote(taggedImage(imaging.popNext())),
    'getLastImage()': () => pixelArray(imaging.lastBuffered().pixels),
    'getLastTaggedImage()': () => remote(taggedImage(imaging.lastBuffered())),
    'getLastTaggedImage(int)': () => remote(taggedImage(imaging.lastBuffered())),
    'getBufferTotalCapacity()': () => primitive(imaging.bufferCapacity()),
    'getBufferFreeCapacity()': () => primitive(imaging.freeCapacity()),
    'isBufferOverflowed()': () => primitive(imaging.isOverflowed()),
    'clearCircularBuffer()': () => {
      imaging.clearBuffer();
      return NONE;
    },
    'setCircularBufferMemoryFootprint(long)': (a) => {
      imaging.setBufferMb(num(a, 0));
      return NONE;
    },
    'setXYPosition(double,double)': (a) => {
      imaging.setXY(xyStage(), num(a, 0), num(a, 1));
      return NONE;
    },
    'setXYPosition(java.lang.String,double,double)': (a) => {
      imaging.setXY(str(a, 0), num(a, 1), num(a, 2));
      return NONE;
    },
    'setRelativeXYPosition(double,double)': (a) => {
      imaging.setXY(xyStage(), core.xyPositionUm.x + num(a, 0), core.xyPositionUm.y + num(a, 1));
      return NONE;
    },
    'setRelativeXYPosition(java.lang.String,double,double)': (a) => {
      imaging.setXY(str(a, 0), core.xyPositionUm.x + num(a, 1), core.xyPositionUm.y + num(a, 2));
      return NONE;
    },
    'getXYStagePosition()': () => remote(point2D(core.xyPositionUm.x, core.xyPositionUm.y)),
    'getXYStagePosition(java.lang.String)': () => remote(point2D(core.xyPositionUm.x, core.xyPositionUm.y)),
    'getXPosition()': () => primitive(core.xyPositionUm.x),
    'getXPosition(java.lang.String)': () => primitive(core.xyPositionUm.x),
    'getYPosition()': () => primitive(core.xyPositionUm.y),
    'getYPosition(java.lang.String)': () => primitive(core.xyPositionUm.y),
    'setPosition(double)': (a) => {
      imaging.setZ(focus(), num(a, 0));
      return NONE;
    },
    'setPosition(java.lang.String,double)': (a) => {
      imaging.setZ(str(a, 0), num(a, 1));
      return NONE;
    },
    'setRelativePosition(double)': (a) => {
      imaging.setZ(focus(), imaging.getZ(focus()) + num(a, 0));
      return NONE;
    },
    'setRelativePosition(java.lang.String,double)': (a) => {
      imaging.setZ(str(a, 0), imaging.getZ(str(a, 0)) + num(a, 1));
      return NONE;
    },
    'getPosition()': () => primitive(imaging.getZ(focus())),
    'getPosition(java.lang.String)': (a) => primitive(imaging.getZ(str(a, 0))),
    'waitForDevice(java.lang.String)': async (a) => {
      await imaging.waitForDevice(str(a, 0));
      return NONE;
    },
    'waitForSystem()': async () => {
      for (const label of core.devices.keys()) await imaging.waitForDevice(label);
      return NONE;
    },
    'deviceBusy(java.lang.String)': (a) => primitive(imaging.busy(str(a, 0))),
    'systemBusy()': () => primitive([...core.devices.keys()].some((label) => imaging.busy(label))),
    'setShutterOpen(boolean)': (a) => {
      imaging.setShutterOpen(bool(a, 0));
      return NONE;
    },
    'setShutterOpen(java.lang.String,boolean)': (a) => {
      imaging.setShutterOpen(bool(a, 1), str(a, 0));
      return NONE;
    },
    'getShutterOpen()': () => primitive(imaging.shutterOpen()),
    'getShutterOpen(java.lang.String)': (a) => primitive(imaging.shutterOpen(str(a, 0))),
    'setAutoShutter(boolean)': (a) => {
      core.setProperty('Core', 'AutoShutter', bool(a, 0) ? '1' : '0');
      return NONE;
    },
    'getAutoShutter()': () => primitive(core.getProperty('Core', 'AutoShutter') === '1'),
    'getState(java.lang.String)': (a) => primitive(core.device(str(a, 0)).number('State')),
    'setState(java.lang.String,int)': (a) => {
      core.setProperty(str(a, 0), 'State', String(num(a, 1)));
      return NONE;
    },
    'getStateLabel(java.lang.String)': (a) => string(core.device(str(a, 0)).get('Label')),
    'setStateLabel(java.lang.String,java.lang.String)': (a) => {
      core.setStateLabel(str(a, 0), str(a, 1));
      return NONE;
    },
    'getNumberOfStates(java.lang.String)': (a) => primitive(core.stateLabelsOf(str(a, 0)).length),
    'getStateLabels(java.lang.String)': (a) => remote(strVector(core.stateLabelsOf(str(a, 0)))),
    'fullFocus()': async () => {
      await imaging.fullFocus();
      return NONE;
    },
    'incrementalFocus()': async () => {
      await imaging.fullFocus();
      return NONE;
    },
    'getTimeoutMs()': () => primitive(Number(core.getProperty('Core', 'TimeoutMs'))),
    'toString()': () => string('mmcorej.CMMCore'),
  };

  return {
    listing: listingOf('mmcorej.CMMCore'),
    call(signature, args) {
      const method = methods[signature];
      if (!method) throw new JavaExceptionError('java.lang.UnsupportedOperationException', `CMMCore.${signature} is not implemented by the simulator`);
      return method(args);
    },
    field: (name) => {
      throw new JavaExceptionError('java.lang.NoSuchFieldException', name);
    },
  };
}

function propertyOf(core: SimCore, args: Args) {
  const device = core.device(String(args[0]));
  const p = device.properties.get(String(args[1]));
  if (!p) throw new CoreError(`Property "${String(args[1])}" not defined for device "${device.label}"`);
  return p;
}
