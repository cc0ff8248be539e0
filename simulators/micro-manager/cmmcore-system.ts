/** CMMCore methods about the system: versions, devices, properties, roles, configuration groups, pixel sizes. */
import { bool, deviceTypeArg, doubleText, num, str, type Args } from './cmmcore-args';
import { javaEnum, type DeviceType } from './java-enums';
import { javaDoubleToString } from './java-json';
import { configuration } from './java-configuration';
import { doubleVector, longVector, strVector } from './java-vectors';
import type { MethodTable } from './remote-object';
import { NONE, double, primitive, remote, string } from './remote-values';
import { CORE_LABEL, ROLE_TYPES, ROLES, type Role, type SimCore } from './sim-core';
import { CoreError } from './sim-device';
import type { Stages } from './stages';

export const MMCORE_VERSION = { major: 12, minor: 5, patch: 0 } as const;
const DEVICE_INTERFACE_VERSION = 75;
const MODULE_INTERFACE_VERSION = 10;

/** Static methods of CMMCore (callable on the instance and on its java.lang.Class). */
export function cmmcoreStatics(features: Map<string, boolean>): MethodTable {
  return {
    'getMMCoreVersionMajor()': () => primitive(MMCORE_VERSION.major),
    'getMMCoreVersionMinor()': () => primitive(MMCORE_VERSION.minor),
    'getMMCoreVersionPatch()': () => primitive(MMCORE_VERSION.patch),
    'noop()': () => NONE,
    'isFeatureEnabled(java.lang.String)': (a) => primitive(features.get(str(a, 0)) ?? false),
    'enableFeature(java.lang.String,boolean)': (a) => {
      features.set(str(a, 0), bool(a, 1));
      return NONE;
    },
  };
}

function propertyOf(core: SimCore, args: Args) {
  return core.device(str(args, 0)).property(str(args, 1));
}

/** Allowed values of a property; for the Core's role properties, "" and the devices of the role's type. */
function allowedValues(core: SimCore, label: string, name: string): string[] {
  if (label === CORE_LABEL && (ROLES as readonly string[]).includes(name)) {
    const type = ROLE_TYPES[name as Role];
    return ['', ...core.devicesOfType(type)];
  }
  if (label === CORE_LABEL && name === 'ChannelGroup') return ['', ...[...core.groups.keys()].sort()];
  return [...(core.device(label).property(name).allowed ?? [])];
}

export function systemMethods(core: SimCore, stages: Stages): MethodTable {
  const setProperty = (text: (a: Args) => string) => (a: Args) => {
    core.setProperty(str(a, 0), str(a, 1), text(a));
    return NONE;
  };
  const roleMethods = (role: Role, name: string): MethodTable => ({
    [`get${name}Device()`]: () => string(core.role(role)),
    [`set${name}Device(java.lang.String)`]: (a) => {
      core.setRole(role, str(a, 0));
      return NONE;
    },
  });
  const configData = (group: string, preset: string) => {
    const settings = core.presets(group).get(preset);
    if (!settings) throw new CoreError(`Preset "${preset}" does not exist in configuration group "${group}"`);
    return settings;
  };
  const pixelPreset = (name: string) => {
    const preset = core.pixelSizes.get(name);
    if (!preset) throw new CoreError(`Pixel size configuration "${name}" is not defined`);
    return preset;
  };
  const affine = (fromCache: boolean) => core.pixelSizeAffine(fromCache);

  return {
    'getVersionInfo()': () => string(`MMCore version ${MMCORE_VERSION.major}.${MMCORE_VERSION.minor}.${MMCORE_VERSION.patch}`),
    'getAPIVersionInfo()': () => string(`Device API version ${DEVICE_INTERFACE_VERSION}, Module API version ${MODULE_INTERFACE_VERSION}`),
    'getMMDeviceDeviceInterfaceVersion()': () => primitive(DEVICE_INTERFACE_VERSION),
    'getMMDeviceModuleInterfaceVersion()': () => primitive(MODULE_INTERFACE_VERSION),
    'toString()': () => string('mmcorej.CMMCore@3fd2cb72'),
    'hashCode()': () => primitive(0x3fd2cb72),

    // ---- devices ----
    'getLoadedDevices()': () => remote(strVector(core.loadedDevices())),
    'getLoadedDevicesOfType(mmcorej.DeviceType)': (a) => remote(strVector(core.devicesOfType(deviceTypeArg(a, 0) as DeviceType))),
    'getDeviceType(java.lang.String)': (a) => remote(javaEnum('mmcorej.DeviceType', core.device(str(a, 0)).type)),
    'getDeviceLibrary(java.lang.String)': (a) => string(core.device(str(a, 0)).library),
    'getDeviceName(java.lang.String)': (a) => string(core.device(str(a, 0)).adapter),
    'getDeviceDescription(java.lang.String)': (a) => string(core.device(str(a, 0)).description),
    'getParentLabel(java.lang.String)': (a) => string(core.parents.get(core.device(str(a, 0)).label) ?? ''),
    'getDeviceDelayMs(java.lang.String)': (a) => double(core.delaysMs.get(core.device(str(a, 0)).label) ?? 0),
    'setDeviceDelayMs(java.lang.String,double)': (a) => {
      core.device(str(a, 0));
      core.delaysMs.set(str(a, 0), num(a, 1));
      return NONE;
    },
    'usesDeviceDelay(java.lang.String)': (a) => primitive((core.delaysMs.get(core.device(str(a, 0)).label) ?? 0) > 0),
    'getFocusDirection(java.lang.String)': (a) => primitive(core.focusDirections.get(stages.zStage(str(a, 0)).label) ?? 0),
    'setFocusDirection(java.lang.String,int)': (a) => {
      stages.zStage(str(a, 0));
      core.focusDirections.set(str(a, 0), num(a, 1));
      return NONE;
    },
    'getTimeoutMs()': () => primitive(Number(core.getProperty(CORE_LABEL, 'TimeoutMs'))),
    'setTimeoutMs(int)': (a) => {
      core.setProperty(CORE_LABEL, 'TimeoutMs', String(num(a, 0)));
      return NONE;
    },

    // ---- properties ----
    'getDevicePropertyNames(java.lang.String)': (a) => remote(strVector([...core.device(str(a, 0)).properties.keys()])),
    'hasProperty(java.lang.String,java.lang.String)': (a) => primitive(core.device(str(a, 0)).properties.has(str(a, 1))),
    'getProperty(java.lang.String,java.lang.String)': (a) => string(core.getProperty(str(a, 0), str(a, 1))),
    'getPropertyFromCache(java.lang.String,java.lang.String)': (a) => {
      const value = core.cache.get(str(a, 0), str(a, 1));
      if (value === undefined) throw new CoreError(`Property "${str(a, 1)}" of device "${str(a, 0)}" is not in the system state cache`);
      return string(value);
    },
    'setProperty(java.lang.String,java.lang.String,java.lang.String)': setProperty((a) => str(a, 2)),
    'setProperty(java.lang.String,java.lang.String,double)': setProperty((a) => doubleText(num(a, 2))),
    'setProperty(java.lang.String,java.lang.String,float)': setProperty((a) => doubleText(num(a, 2))),
    'setProperty(java.lang.String,java.lang.String,int)': setProperty((a) => String(num(a, 2))),
    'setProperty(java.lang.String,java.lang.String,boolean)': setProperty((a) => (bool(a, 2) ? '1' : '0')),
    'getAllowedPropertyValues(java.lang.String,java.lang.String)': (a) => remote(strVector(allowedValues(core, str(a, 0), str(a, 1)))),
    'hasPropertyLimits(java.lang.String,java.lang.String)': (a) => primitive(propertyOf(core, a).lower !== undefined),
    'getPropertyLowerLimit(java.lang.String,java.lang.String)': (a) => double(propertyOf(core, a).lower ?? 0),
    'getPropertyUpperLimit(java.lang.String,java.lang.String)': (a) => double(propertyOf(core, a).upper ?? 0),
    'isPropertyReadOnly(java.lang.String,java.lang.String)': (a) => primitive(propertyOf(core, a).readOnly),
    'isPropertyPreInit(java.lang.String,java.lang.String)': (a) => primitive(propertyOf(core, a) === undefined),
    'isPropertySequenceable(java.lang.String,java.lang.String)': (a) => primitive(propertyOf(core, a) === undefined),
    'getPropertyType(java.lang.String,java.lang.String)': (a) => remote(javaEnum('mmcorej.PropertyType', propertyOf(core, a).type)),
    'updateSystemStateCache()': () => {
      core.updateSystemStateCache();
      return NONE;
    },

    // ---- roles ----
    ...roleMethods('Camera', 'Camera'),
    ...roleMethods('Shutter', 'Shutter'),
    ...roleMethods('Focus', 'Focus'),
    ...roleMethods('XYStage', 'XYStage'),
    ...roleMethods('AutoFocus', 'AutoFocus'),
    ...roleMethods('ImageProcessor', 'ImageProcessor'),
    ...roleMethods('SLM', 'SLM'),
    ...roleMethods('Galvo', 'Galvo'),
    'getAutoShutter()': () => primitive(core.getProperty(CORE_LABEL, 'AutoShutter') === '1'),
    'setAutoShutter(boolean)': (a) => {
      core.setProperty(CORE_LABEL, 'AutoShutter', bool(a, 0) ? '1' : '0');
      return NONE;
    },

    // ---- configuration groups ----
    'getAvailableConfigGroups()': () => remote(strVector([...core.groups.keys()].sort())),
    'getAvailableConfigs(java.lang.String)': (a) => remote(strVector(core.groups.has(str(a, 0)) ? core.presetNames(str(a, 0)) : [])),
    'isGroupDefined(java.lang.String)': (a) => primitive(core.groups.has(str(a, 0))),
    'getConfigData(java.lang.String,java.lang.String)': (a) => {
      const settings = core.presets(str(a, 0)).get(str(a, 1));
      if (!settings) throw new CoreError(`Preset "${str(a, 1)}" does not exist in configuration group "${str(a, 0)}"`);
      return remote(configuration(settings));
    },
    'isConfigDefined(java.lang.String,java.lang.String)': (a) => primitive(core.groups.get(str(a, 0))?.has(str(a, 1)) ?? false),
    'getCurrentConfig(java.lang.String)': (a) => string(core.currentConfig(str(a, 0))),
    'getCurrentConfigFromCache(java.lang.String)': (a) => string(core.currentConfig(str(a, 0), true)),
    'setConfig(java.lang.String,java.lang.String)': (a) => {
      core.setConfig(str(a, 0), str(a, 1));
      return NONE;
    },
    'waitForConfig(java.lang.String,java.lang.String)': async (a) => {
      for (const s of configData(str(a, 0), str(a, 1))) await stages.waitForDevice(s.device);
      return NONE;
    },
    'getChannelGroup()': () => string(core.getProperty(CORE_LABEL, 'ChannelGroup')),
    'setChannelGroup(java.lang.String)': (a) => {
      core.setProperty(CORE_LABEL, 'ChannelGroup', str(a, 0));
      return NONE;
    },

    // ---- pixel size ----
    'getAvailablePixelSizeConfigs()': () => remote(strVector([...core.pixelSizes.keys()].sort())),
    'isPixelSizeConfigDefined(java.lang.String)': (a) => primitive(core.pixelSizes.has(str(a, 0))),
    'getCurrentPixelSizeConfig()': () => string(core.currentPixelSizeConfig()),
    'getCurrentPixelSizeConfig(boolean)': (a) => string(core.currentPixelSizeConfig(bool(a, 0))),
    'getPixelSizeUm()': () => double(core.pixelSizeUm()),
    'getPixelSizeUm(boolean)': (a) => double(core.pixelSizeUm(bool(a, 0))),
    'getPixelSizeUmByID(java.lang.String)': (a) => double(pixelPreset(str(a, 0)).pixelSizeUm),
    'getPixelSizeAffine()': () => remote(doubleVector(affine(false))),
    'getPixelSizeAffine(boolean)': (a) => remote(doubleVector(affine(bool(a, 0)))),
    'getPixelSizeAffineByID(java.lang.String)': (a) => remote(doubleVector([...(pixelPreset(str(a, 0)).affine ?? [1, 0, 0, 0, 1, 0])])),
    'getPixelSizeAffineAsString()': () => string(affine(false).map(javaDoubleToString).join(';')),
    'getMagnificationFactor()': () => double(1),
    'getAllowedBinningValues()': () => remote(longVector(allowedValues(core, core.role('Camera'), 'Binning').map(Number))),
    'getAllowedBinningValues(java.lang.String)': (a) => remote(longVector(allowedValues(core, str(a, 0), 'Binning').map(Number))),

    // ---- logging and other no-ops of a simulator ----
    'logMessage(java.lang.String)': () => NONE,
    'logMessage(java.lang.String,boolean)': () => NONE,
    'enableDebugLog(boolean)': () => NONE,
    'debugLogEnabled()': () => primitive(false),
    'enableStderrLog(boolean)': () => NONE,
    'stderrLogEnabled()': () => primitive(false),
    'getIncludeSystemStateCache()': () => primitive(true),
    'sleep(double)': async (a) => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, num(a, 0))));
      return NONE;
    },
  };
}
