/**
 * MMCoreJ's enums (SWIG "proper" Java enums). The bridge serializes only primitives, strings, JSONObjects and
 * primitive arrays by value, so an enum returned by CMMCore (getDeviceType, getPropertyType) reaches the client
 * as an `unserialized-object` of class mmcorej.DeviceType: the client calls toString()/name()/swigValue() on it,
 * or passes it back by hash-code (getLoadedDevicesOfType).
 */
import { JavaMethodError, JavaServerError } from './java-errors';
import { classObjectListing, enumListing } from './java-listings';
import { makeClassObject, makeRemoteObject, type MethodTable } from './remote-object';
import { primitive, remote, string, type RemoteObject } from './remote-values';

/** MMDevice's MM::DeviceType, in its declaration order (swigValue = ordinal). */
export const DEVICE_TYPES = [
  'UnknownType',
  'AnyType',
  'CameraDevice',
  'ShutterDevice',
  'StateDevice',
  'StageDevice',
  'XYStageDevice',
  'SerialDevice',
  'GenericDevice',
  'AutoFocusDevice',
  'CoreDevice',
  'ImageProcessorDevice',
  'SignalIODevice',
  'MagnifierDevice',
  'SLMDevice',
  'HubDevice',
  'GalvoDevice',
  'PressurePumpDevice',
  'VolumetricPumpDevice',
] as const;

export type DeviceType = (typeof DEVICE_TYPES)[number];

/** MMDevice's MM::PropertyType. */
export const PROPERTY_TYPES = ['Undef', 'String', 'Float', 'Integer'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

const ENUMS: Record<string, readonly string[]> = { 'mmcorej.DeviceType': DEVICE_TYPES, 'mmcorej.PropertyType': PROPERTY_TYPES };

export const isEnumClass = (className: string) => className in ENUMS;

/** The constant a remote enum object stands for (undefined for other objects). */
const constantOf = new WeakMap<RemoteObject, { className: string; name: string }>();

export function enumConstantOf(object: RemoteObject): { className: string; name: string } | undefined {
  return constantOf.get(object);
}

function statics(className: string): MethodTable {
  const constants = ENUMS[className];
  return {
    'swigToEnum(int)': ([value]) => {
      const name = constants[Number(value)];
      if (name === undefined)
        throw new JavaMethodError('java.lang.IllegalArgumentException', `No enum ${className} with value ${String(value)}`);
      return remote(javaEnum(className, name));
    },
    'valueOf(java.lang.String)': ([name]) => {
      if (!constants.includes(String(name)))
        throw new JavaMethodError('java.lang.IllegalArgumentException', `No enum constant ${className}.${String(name)}`);
      return remote(javaEnum(className, String(name)));
    },
  };
}

export function javaEnum(className: string, name: string): RemoteObject {
  const constants = ENUMS[className];
  const ordinal = constants.indexOf(name);
  if (ordinal < 0) throw new Error(`${name} is not a constant of ${className}`);
  const listing = enumListing(className, constants);
  const compare = ([other]: readonly unknown[]) => {
    const theirs = enumConstantOf(other as RemoteObject);
    if (!theirs || theirs.className !== className)
      throw new JavaMethodError('java.lang.ClassCastException', `cannot compare ${className} with that object`);
    return primitive(ordinal - constants.indexOf(theirs.name));
  };
  const object = makeRemoteObject({
    listing,
    methods: {
      'name()': () => string(name),
      'toString()': () => string(name),
      'ordinal()': () => primitive(ordinal),
      'swigValue()': () => primitive(ordinal),
      'hashCode()': () => primitive(ordinal + 0x2a6d5f00),
      'equals(java.lang.Object)': ([other]) => {
        const theirs = other ? enumConstantOf(other as RemoteObject) : undefined;
        return primitive(theirs?.className === className && theirs.name === name);
      },
      'compareTo(java.lang.Enum)': compare,
      'compareTo(java.lang.Object)': compare,
      'getDeclaringClass()': () => remote(enumClassObject(className)),
    },
    statics: statics(className),
    fields: Object.fromEntries(constants.map((constant) => [constant, { get: () => remote(javaEnum(className, constant)) }])),
  });
  constantOf.set(object, { className, name });
  return object;
}

/** The enum's java.lang.Class (get-class), for swigToEnum / valueOf. */
export function enumClassObject(className: string): RemoteObject {
  if (!isEnumClass(className)) throw new JavaServerError('java.lang.RuntimeException', 'Class not found on any classloaders', 'loadClass');
  return makeClassObject(classObjectListing(enumListing(className, ENUMS[className])), statics(className));
}
