/**
 * How the real server (ZMQServer.getArgumentSignatures / runMethod) turns a run-method request into a Java call:
 * argument values built from `argument-deserialization-types`, argument classes from `argument-types` (or, for
 * a remote object, every type it implements), then the LAST declared method with that name whose parameter
 * types accept those classes. A JSON integer is fine for a `double`; `double` and `java.lang.Double` differ.
 */
import { JavaServerError } from './java-errors';
import type { JavaClassListing, JavaMethod } from './java-listings';
import { isRemoteArgument, type RemoteArgument, type RemoteObject } from './remote-values';
import { ClientArray } from './wire';

const PRIMITIVE_RANK: Record<string, number> = { byte: 1, short: 2, char: 2, int: 3, long: 4, float: 5, double: 6 };
const BOXED: Record<string, string> = {
  'java.lang.Boolean': 'boolean',
  'java.lang.Byte': 'byte',
  'java.lang.Short': 'short',
  'java.lang.Character': 'char',
  'java.lang.Integer': 'int',
  'java.lang.Long': 'long',
  'java.lang.Float': 'float',
  'java.lang.Double': 'double',
};
const PRIMITIVE_NAMES = new Set(['boolean', ...Object.keys(PRIMITIVE_RANK), ...Object.keys(BOXED)]);
const ARRAY_NAMES = new Set(['boolean[]', 'byte[]', 'short[]', 'char[]', 'int[]', 'long[]', 'float[]', 'double[]']);
const STRING_SUPERTYPES = new Set([
  'java.lang.String',
  'java.lang.Object',
  'java.lang.CharSequence',
  'java.lang.Comparable',
  'java.io.Serializable',
]);

/** A primitive argument with the Java type the server boxed it as. */
export class BoxedPrimitive {
  constructor(
    readonly value: number | boolean,
    readonly javaType: string,
  ) {}
}

export interface ResolvedCall {
  readonly method: JavaMethod;
  readonly signature: string;
  /** Argument values for the implementation: numbers, booleans, strings, null, typed arrays, RemoteObjects, raw JSON. */
  readonly args: unknown[];
}

const isPrimitiveType = (type: string) => type === 'boolean' || type in PRIMITIVE_RANK;

function javaClassName(value: unknown): string {
  if (value === null) return 'mmcorej.org.json.JSONObject$Null';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
  if (value instanceof ClientArray) return value.bytesPerElement === 2 ? '[S' : value.bytesPerElement === 4 ? '[I' : '[B';
  return Array.isArray(value) ? 'mmcorej.org.json.JSONArray' : 'mmcorej.org.json.JSONObject';
}

function classCast(value: unknown, target: string): JavaServerError {
  return new JavaServerError(
    'java.lang.ClassCastException',
    `class ${javaClassName(value)} cannot be cast to class ${target}`,
    'arguments',
  );
}

/** ZMQUtil.convertToPrimitiveClass: numbers are cast like Java's Number.xxxValue(); booleans pass unchanged. */
function toPrimitive(value: unknown, type: string): BoxedPrimitive {
  const primitive = BOXED[type] ?? type;
  if (primitive === 'boolean') return new BoxedPrimitive(value as boolean, typeof value === 'boolean' ? 'boolean' : javaClassName(value));
  if (typeof value !== 'number') throw classCast(value, 'java.lang.Number');
  if (primitive === 'float' || primitive === 'double') return new BoxedPrimitive(value, primitive);
  const truncated = Number.isInteger(value) ? value : Math.trunc(value);
  const wrapped =
    primitive === 'long'
      ? truncated
      : primitive === 'short'
        ? (truncated << 16) >> 16
        : primitive === 'byte'
          ? (truncated << 24) >> 24
          : truncated | 0;
  return new BoxedPrimitive(wrapped, primitive);
}

/** ZMQUtil.convertToPrimitiveArray: the client's bytes read BIG-endian, as the real server does. */
function toArray(value: unknown, type: string): unknown {
  if (!(value instanceof ClientArray) || value.bytesPerElement === 2 || value.bytesPerElement === 4) throw classCast(value, '[B');
  const bytes = value.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = <T>(
    size: number,
    make: (n: number) => T & { [i: number]: number | bigint },
    get: (offset: number) => number | bigint,
  ): T => {
    const out = make(Math.floor(bytes.length / size));
    for (let i = 0; i < Math.floor(bytes.length / size); i++) out[i] = get(i * size);
    return out;
  };
  switch (type) {
    case 'byte[]':
      return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    case 'short[]':
      return read(
        2,
        (n) => new Int16Array(n),
        (o) => view.getInt16(o),
      );
    case 'char[]':
      return read(
        2,
        (n) => new Uint16Array(n),
        (o) => view.getUint16(o),
      );
    case 'int[]':
      return read(
        4,
        (n) => new Int32Array(n),
        (o) => view.getInt32(o),
      );
    case 'float[]':
      return read(
        4,
        (n) => new Float32Array(n),
        (o) => view.getFloat32(o),
      );
    case 'double[]':
      return read(
        8,
        (n) => new Float64Array(n),
        (o) => view.getFloat64(o),
      );
    case 'long[]':
      return read(
        8,
        (n) => new BigInt64Array(n),
        (o) => view.getBigInt64(o),
      );
    default:
      throw new JavaServerError('java.lang.RuntimeException', 'Not sure how to handle booleans yet', 'arguments');
  }
}

function stringList(message: Record<string, unknown>, key: string): unknown[] {
  const value = message[key];
  if (!Array.isArray(value))
    throw new JavaServerError('mmcorej.org.json.JSONException', `JSONObject["${key}"] is not a JSONArray.`, 'arguments');
  return value;
}

type ArgumentClass = string | ReadonlySet<string> | null;

function accepts(parameter: string, given: ArgumentClass): boolean {
  if (given === null) throw new JavaServerError('java.lang.NullPointerException', '', 'matchMethod');
  if (typeof given !== 'string') return given.has(parameter);
  if (parameter === given) return true;
  return parameter === 'java.lang.Object' && !isPrimitiveType(given);
}

/** Method.invoke's own checks: unboxing with widening, references of the right type. */
function invocable(method: JavaMethod, args: readonly unknown[]): boolean {
  return method.arguments.every((parameter, i) => {
    const arg = args[i];
    const primitive = BOXED[parameter] ?? parameter;
    if (isPrimitiveType(primitive)) {
      if (!(arg instanceof BoxedPrimitive)) return false;
      if (primitive === 'boolean' || arg.javaType === 'boolean') return primitive === arg.javaType;
      if (parameter in BOXED) return arg.javaType === primitive;
      return (PRIMITIVE_RANK[arg.javaType] ?? 99) <= PRIMITIVE_RANK[primitive] && !(arg.javaType === 'char' && primitive === 'short');
    }
    if (arg === null || arg === undefined) return true;
    if (typeof arg === 'string') return STRING_SUPERTYPES.has(parameter);
    if (isRemoteArgument(arg)) return arg.remote.listing.interfaces.includes(parameter) || parameter === 'java.lang.Object';
    if (ArrayBuffer.isView(arg)) return ARRAY_NAMES.has(parameter) || parameter === 'java.lang.Object';
    return parameter === 'java.lang.Object';
  });
}

/** Picks the Java method a run-method request calls and builds its argument values. */
export function resolveCall(
  listing: JavaClassListing,
  message: Record<string, unknown>,
  lookup: (hashCode: string) => RemoteObject,
): ResolvedCall {
  const name = String(message.name);
  const jsonArgs = stringList(message, 'arguments');
  const deserializationTypes = jsonArgs.length ? stringList(message, 'argument-deserialization-types') : [];
  const argumentTypes = jsonArgs.length ? stringList(message, 'argument-types') : [];
  const missing = (i: number) => new JavaServerError('mmcorej.org.json.JSONException', `JSONArray[${i}] not found.`, 'arguments');

  const values: unknown[] = jsonArgs.map((arg, i) => {
    if (typeof arg === 'object' && arg !== null && !Array.isArray(arg) && !(arg instanceof ClientArray) && 'hash-code' in arg) {
      const hashCode = String((arg as Record<string, unknown>)['hash-code']);
      return { remote: lookup(hashCode) } satisfies RemoteArgument;
    }
    if (i >= deserializationTypes.length) throw missing(i);
    const type = String(deserializationTypes[i]);
    if (PRIMITIVE_NAMES.has(type)) return toPrimitive(arg, type);
    if (ARRAY_NAMES.has(type)) return toArray(arg, type);
    if (type === 'java.lang.String') {
      if (arg !== null && typeof arg !== 'string')
        throw new JavaServerError('mmcorej.org.json.JSONException', `JSONArray[${i}] not a string.`, 'arguments');
      return arg;
    }
    return type === 'java.lang.Object' ? arg : undefined;
  });

  const classes: ArgumentClass[] = values.map((value, i) => {
    if (isRemoteArgument(value)) return new Set(value.remote.listing.interfaces);
    if (i >= argumentTypes.length) throw missing(i);
    const type = String(argumentTypes[i]);
    return PRIMITIVE_NAMES.has(type) || ARRAY_NAMES.has(type) || type === 'java.lang.String' || type === 'java.lang.Object' ? type : null;
  });

  let method: JavaMethod | undefined;
  if (values.length === 0) {
    method = listing.api.find((m) => m.name === name && m.arguments.length === 0);
    if (!method) throw new JavaServerError('java.lang.NoSuchMethodException', `${listing.class}.${name}()`, 'runMethod');
  } else {
    for (const candidate of listing.api) {
      if (candidate.name !== name || candidate.arguments.length !== values.length) continue;
      if (candidate.arguments.every((parameter, i) => accepts(parameter, classes[i]))) method = candidate;
    }
    if (!method) throw new JavaServerError('java.lang.RuntimeException', 'No Matching method found with argument types', 'matchMethod');
  }
  if (!invocable(method, values)) throw new JavaServerError('java.lang.IllegalArgumentException', 'argument type mismatch', 'runMethod');
  const args = values.map((value) => (value instanceof BoxedPrimitive ? value.value : isRemoteArgument(value) ? value.remote : value));
  return { method, signature: `${method.name}(${method.arguments.join(',')})`, args };
}
