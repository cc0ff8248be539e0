import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JavaClassListing } from './java-api/from-transcript';
import { CoreError } from './sim-device';
import { NONE, pixelArray, primitive, string, type JavaValue, type RemoteObject } from './remote-values';
import type { SimImage } from './sim-imaging';

const listings = new Map<string, JavaClassListing>();

/** The listing the real server sends for a class (recorded ones), or one built for classes never recorded. */
export function listingOf(className: string): JavaClassListing {
  let listing = listings.get(className);
  if (!listing) {
    listing = JSON.parse(readFileSync(join(__dirname, 'java-api', `${className.replace(/\$/g, '_')}.json`), 'utf8')) as JavaClassListing;
    listings.set(className, listing);
  }
  return listing;
}

export class JavaExceptionError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
  }
}

function noSuchMethod(className: string, signature: string): never {
  throw new JavaExceptionError('java.lang.NoSuchMethodException', `${className}.${signature} is not implemented by the simulator`);
}

export function strVector(values: readonly string[]): RemoteObject {
  return {
    listing: listingOf('mmcorej.StrVector'),
    call(signature, args) {
      switch (signature) {
        case 'size()':
          return primitive(values.length);
        case 'isEmpty()':
          return primitive(values.length === 0);
        case 'get(int)': {
          const i = Number(args[0]);
          if (!Number.isInteger(i) || i < 0 || i >= values.length) {
            throw new JavaExceptionError('java.lang.IndexOutOfBoundsException', `vector index out of range`);
          }
          return string(values[i]);
        }
        case 'toString()':
          return string(`[${values.join(', ')}]`);
        default:
          return noSuchMethod('mmcorej.StrVector', signature);
      }
    },
    field: (name) => {
      throw new JavaExceptionError('java.lang.NoSuchFieldException', name);
    },
  };
}

export function taggedImage(image: SimImage): RemoteObject {
  return {
    listing: listingOf('mmcorej.TaggedImage'),
    call: (signature) => (signature === 'toString()' ? string('mmcorej.TaggedImage') : noSuchMethod('mmcorej.TaggedImage', signature)),
    field(name) {
      if (name === 'pix') return pixelArray(image.pixels);
      if (name === 'tags') return { kind: 'json', value: image.tags };
      throw new JavaExceptionError('java.lang.NoSuchFieldException', name);
    },
  };
}

export function point2D(x: number, y: number): RemoteObject {
  return {
    listing: listingOf('java.awt.geom.Point2D$Double'),
    call(signature) {
      if (signature === 'getX()') return primitive(x);
      if (signature === 'getY()') return primitive(y);
      if (signature === 'toString()') return string(`Point2D.Double[${x}, ${y}]`);
      return noSuchMethod('java.awt.geom.Point2D$Double', signature);
    },
    field(name) {
      if (name === 'x') return primitive(x);
      if (name === 'y') return primitive(y);
      throw new JavaExceptionError('java.lang.NoSuchFieldException', name);
    },
  };
}

const ENUM_INTERFACES = ['java.lang.Enum', 'java.lang.constant.Constable', 'java.lang.Comparable', 'java.io.Serializable', 'java.lang.Object'];

/** MMCoreJ's SWIG enums (DeviceType, PropertyType) travel as remote Java enum objects. */
export function javaEnum(className: string, name: string, swigValue: number): RemoteObject {
  const listing: JavaClassListing = {
    class: className,
    interfaces: [className, ...ENUM_INTERFACES],
    fields: [],
    api: [
      { name: 'swigValue', arguments: [], 'return-type': 'int' },
      { name: 'name', arguments: [], 'return-type': 'java.lang.String' },
      { name: 'toString', arguments: [], 'return-type': 'java.lang.String' },
      { name: 'ordinal', arguments: [], 'return-type': 'int' },
      { name: 'equals', arguments: ['java.lang.Object'], 'return-type': 'boolean' },
      { name: 'hashCode', arguments: [], 'return-type': 'int' },
    ],
  };
  return {
    listing,
    call(signature) {
      if (signature === 'swigValue()' || signature === 'ordinal()') return primitive(swigValue);
      if (signature === 'name()' || signature === 'toString()') return string(name);
      if (signature === 'hashCode()') return primitive(swigValue);
      return noSuchMethod(className, signature);
    },
    field: (fieldName) => {
      throw new JavaExceptionError('java.lang.NoSuchFieldException', fieldName);
    },
  };
}

export const DEVICE_TYPE_VALUES: Record<string, number> = {
  UnknownType: 0,
  AnyType: 1,
  CameraDevice: 2,
  ShutterDevice: 3,
  StateDevice: 4,
  StageDevice: 5,
  XYStageDevice: 6,
  SerialDevice: 7,
  GenericDevice: 8,
  AutoFocusDevice: 9,
  CoreDevice: 10,
  ImageProcessorDevice: 11,
  SignalIODevice: 12,
  MagnifierDevice: 13,
  SLMDevice: 14,
  HubDevice: 15,
  GalvoDevice: 16,
};

export const PROPERTY_TYPE_VALUES: Record<string, number> = { Undef: 0, String: 1, Float: 2, Integer: 3 };

export { NONE, CoreError };
