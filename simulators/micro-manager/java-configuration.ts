/** mmcorej.Configuration and mmcorej.PropertySetting, what getConfigData returns: a preset's settings in order. */
import { JavaMethodError } from './java-errors';
import { objectApi, type JavaClassListing, type JavaMethod } from './java-listings';
import { makeRemoteObject } from './remote-object';
import { primitive, remote, string, type RemoteObject } from './remote-values';
import type { CfgSetting } from './cfg-parser';

const method = (name: string, args: readonly string[], returnType: string): JavaMethod => ({
  name,
  arguments: args,
  'return-type': returnType,
});

let settingListing: JavaClassListing | undefined;
let configurationListing: JavaClassListing | undefined;

/** MMCoreJ's SWIG class PropertySetting (C++ PropertySetting): device, property, value. */
function propertySettingListing(): JavaClassListing {
  settingListing ??= {
    class: 'mmcorej.PropertySetting',
    interfaces: ['java.lang.Object'],
    fields: [],
    api: [
      method('getDeviceLabel', [], 'java.lang.String'),
      method('getPropertyName', [], 'java.lang.String'),
      method('getPropertyValue', [], 'java.lang.String'),
      method('getReadOnly', [], 'boolean'),
      method('getKey', [], 'java.lang.String'),
      method('getVerbose', [], 'java.lang.String'),
      method('isEqualTo', ['mmcorej.PropertySetting'], 'boolean'),
      method('delete', [], 'void'),
      ...objectApi(),
    ],
  };
  return settingListing;
}

function configurationClassListing(): JavaClassListing {
  configurationListing ??= {
    class: 'mmcorej.Configuration',
    interfaces: ['java.lang.Object'],
    fields: [],
    api: [
      method('size', [], 'long'),
      method('getSetting', ['long'], 'mmcorej.PropertySetting'),
      method('getSetting', ['java.lang.String', 'java.lang.String'], 'mmcorej.PropertySetting'),
      method('isPropertyIncluded', ['java.lang.String', 'java.lang.String'], 'boolean'),
      method('getVerbose', [], 'java.lang.String'),
      method('delete', [], 'void'),
      ...objectApi(),
    ],
  };
  return configurationListing;
}

export function propertySetting(setting: CfgSetting): RemoteObject {
  return makeRemoteObject({
    listing: propertySettingListing(),
    methods: {
      'getDeviceLabel()': () => string(setting.device),
      'getPropertyName()': () => string(setting.property),
      'getPropertyValue()': () => string(setting.value),
      'getReadOnly()': () => primitive(false),
      'getKey()': () => string(`${setting.device}-${setting.property}`),
      'getVerbose()': () => string(`${setting.device}:${setting.property}=${setting.value}`),
    },
  });
}

export function configuration(settings: readonly CfgSetting[]): RemoteObject {
  const at = (i: unknown): CfgSetting => {
    const index = Number(i);
    if (!Number.isInteger(index) || index < 0 || index >= settings.length) {
      throw new JavaMethodError('java.lang.Exception', `Setting index ${String(i)} out of bounds`);
    }
    return settings[index];
  };
  const named = (device: unknown, property: unknown) => settings.find((s) => s.device === device && s.property === property);
  return makeRemoteObject({
    listing: configurationClassListing(),
    methods: {
      'size()': () => primitive(settings.length),
      'getSetting(long)': ([i]) => remote(propertySetting(at(i))),
      'getSetting(java.lang.String,java.lang.String)': ([device, property]) => {
        const found = named(device, property);
        if (!found)
          throw new JavaMethodError(
            'java.lang.Exception',
            `Property ${String(property)} of ${String(device)} not found in the configuration`,
          );
        return remote(propertySetting(found));
      },
      'isPropertyIncluded(java.lang.String,java.lang.String)': ([device, property]) => primitive(named(device, property) !== undefined),
      'getVerbose()': () => string(settings.map((s) => `${s.device}:${s.property}=${s.value}`).join('<br>')),
    },
  });
}
