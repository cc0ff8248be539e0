/**
 * What the server says about a Java class when it hands out an object: class, interfaces, public fields and
 * the `api` (every declared method of the class and its supertypes). Recorded classes come from java-api/*.json
 * (extracted from the real server); the others are derived from them in the same shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listingFileName, type JavaClassListing, type JavaMethod } from './java-api/from-transcript';
import { JavaJsonObject, RawJson, javaJsonText } from './java-json';

export type { JavaClassListing, JavaMethod };

const recorded = new Map<string, JavaClassListing>();

/** A listing recorded from the real server (mmcorej.CMMCore, StrVector, TaggedImage, Point2D$Double). */
export function recordedListing(className: string): JavaClassListing {
  let listing = recorded.get(className);
  if (!listing) {
    const file = join(__dirname, 'java-api', listingFileName(className));
    listing = JSON.parse(readFileSync(file, 'utf8')) as JavaClassListing;
    recorded.set(className, listing);
  }
  return listing;
}

const method = (name: string, args: readonly string[], returnType: string): JavaMethod => ({
  name,
  arguments: args,
  'return-type': returnType,
});

/** java.lang.Object's declared methods, as every recorded listing ends. */
export function objectApi(): readonly JavaMethod[] {
  return recordedListing('mmcorej.TaggedImage').api;
}

/** The api a class declares itself: its listing without the java.lang.Object tail. */
export function declaredApi(listing: JavaClassListing): readonly JavaMethod[] {
  return listing.api.slice(0, listing.api.length - objectApi().length);
}

/**
 * MMCoreJ's other SWIG vectors (LongVector holds C++ longs as Java int, DoubleVector doubles) have StrVector's
 * shape with another element type; MMCoreJ's extra `String[] toArray()` is StrVector's alone.
 */
export function vectorListing(className: 'mmcorej.LongVector' | 'mmcorej.DoubleVector'): JavaClassListing {
  return memo(className, () => deriveVectorListing(className));
}

const derived = new Map<string, JavaClassListing>();

function memo(key: string, make: () => JavaClassListing): JavaClassListing {
  let listing = derived.get(key);
  if (!listing) {
    listing = make();
    derived.set(key, listing);
  }
  return listing;
}

function deriveVectorListing(className: string): JavaClassListing {
  const [boxed, primitive] = className === 'mmcorej.LongVector' ? ['java.lang.Integer', 'int'] : ['java.lang.Double', 'double'];
  const strVector = recordedListing('mmcorej.StrVector');
  const api = strVector.api
    .filter((m) => !(m.name === 'toArray' && m['return-type'] === 'java.lang.String[]'))
    .map((m) => {
      const element = /^do[A-Z]/.test(m.name) ? primitive : boxed;
      const swap = (type: string) =>
        type === 'java.lang.String' && m.name !== 'outOfBoundsMsg' ? element : type === 'mmcorej.StrVector' ? className : type;
      return method(m.name, m.arguments.map(swap), m.name === 'toString' ? m['return-type'] : swap(m['return-type']));
    });
  return { class: className, interfaces: strVector.interfaces.map((i) => (i === 'mmcorej.StrVector' ? className : i)), fields: [], api };
}

const ENUM_SUPERTYPES = ['java.lang.Enum', 'java.lang.constant.Constable', 'java.lang.Comparable', 'java.io.Serializable'];

function enumBaseApi(): JavaMethod[] {
  return [
    method('name', [], 'java.lang.String'),
    method('equals', ['java.lang.Object'], 'boolean'),
    method('toString', [], 'java.lang.String'),
    method('hashCode', [], 'int'),
    method('compareTo', ['java.lang.Object'], 'int'),
    method('compareTo', ['java.lang.Enum'], 'int'),
    method('valueOf', ['java.lang.Class', 'java.lang.String'], 'java.lang.Enum'),
    method('clone', [], 'java.lang.Object'),
    method('describeConstable', [], 'java.util.Optional'),
    method('getDeclaringClass', [], 'java.lang.Class'),
    method('ordinal', [], 'int'),
    method('readObject', ['java.io.ObjectInputStream'], 'void'),
    method('readObjectNoData', [], 'void'),
    method('finalize', [], 'void'),
    method('describeConstable', [], 'java.util.Optional'),
    method('compareTo', ['java.lang.Object'], 'int'),
  ];
}

/** A SWIG-generated Java enum of MMCoreJ (DeviceType, PropertyType): its constants are its public fields. */
export function enumListing(className: string, constants: readonly string[]): JavaClassListing {
  return memo(className, () => deriveEnumListing(className, constants));
}

function deriveEnumListing(className: string, constants: readonly string[]): JavaClassListing {
  const own = [
    method('values', [], `${className}[]`),
    method('valueOf', ['java.lang.String'], className),
    method('swigValue', [], 'int'),
    method('swigToEnum', ['int'], className),
    method('$values', [], `${className}[]`),
  ];
  return {
    class: className,
    interfaces: [className, ...ENUM_SUPERTYPES, 'java.lang.Object'],
    fields: [...constants],
    api: [...own, ...enumBaseApi(), ...objectApi()],
  };
}

/** What `get-class` hands out: a java.lang.Class whose api is the class's own declared methods (for static calls). */
export function classObjectListing(listing: JavaClassListing): JavaClassListing {
  return memo(`class ${listing.class}`, () => ({
    class: 'java.lang.Class',
    interfaces: [listing.class],
    fields: [],
    api: declaredApi(listing),
  }));
}

const serializedParts = new WeakMap<JavaClassListing, { interfaces: RawJson; fields: RawJson; api: RawJson }>();

/** The listing's arrays as JSON text, computed once per listing (CMMCore's api alone is some 60 kB). */
export function listingJson(listing: JavaClassListing): { interfaces: RawJson; fields: RawJson; api: RawJson } {
  let parts = serializedParts.get(listing);
  if (!parts) {
    const api = listing.api.map(
      (m) =>
        new JavaJsonObject([
          ['name', m.name],
          ['return-type', m['return-type']],
          ['arguments', [...m.arguments]],
        ]),
    );
    parts = {
      interfaces: new RawJson(javaJsonText([...listing.interfaces])),
      fields: new RawJson(javaJsonText([...listing.fields])),
      api: new RawJson(javaJsonText(api)),
    };
    serializedParts.set(listing, parts);
  }
  return parts;
}
