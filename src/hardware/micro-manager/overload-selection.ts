import type { JavaMethod } from './reply-decoding';
import type { SendableArray } from './request-encoding';

/**
 * Picks the Java overload a call means, from the `api` the server listed: same name, same argument count, every
 * argument acceptable for its parameter type (as pyjavaz checks). Where several fit, the closest wins (an integer
 * prefers `int` to `double`, a primitive to its boxed class); ties go to the first listed, like pyjavaz.
 */

/** An argument with its Java parameter type spelled out, for overloads the JS type cannot tell apart. */
export interface TypedArgument {
  readonly javaType: string;
  readonly value: unknown;
}

export const typed = (javaType: string, value: unknown): TypedArgument => new TypedArgumentImpl(javaType, value);

class TypedArgumentImpl implements TypedArgument {
  constructor(
    readonly javaType: string,
    readonly value: unknown,
  ) {}
}

/** What the selection needs to know of a remote object passed as an argument. */
export interface RemoteHandle {
  readonly hashCode: string;
  readonly className: string;
  readonly interfaces: readonly string[];
}

export interface ChosenOverload {
  readonly method: JavaMethod;
  /** Per argument, the type the server must build from the JSON value (the array's type for arrays). */
  readonly deserializationTypes: string[];
  /** The arguments to send: remote objects as {"hash-code"}, arrays as typed arrays (the codec frames them). */
  readonly wireArguments: unknown[];
}

const OBJECT_COST = 20;
const BOXED_COST = 10;

const INTEGER_RANGES: Record<string, readonly [number, number]> = {
  int: [-(2 ** 31), 2 ** 31 - 1],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  short: [-(2 ** 15), 2 ** 15 - 1],
  byte: [-128, 127],
  char: [0, 0xffff],
};
const INTEGER_COST: Record<string, number> = { int: 0, long: 1, short: 2, byte: 3, double: 4, float: 5, char: 6 };
const FRACTION_COST: Record<string, number> = { double: 0, float: 1 };
const BOXES: Record<string, string> = {
  'java.lang.Integer': 'int',
  'java.lang.Long': 'long',
  'java.lang.Short': 'short',
  'java.lang.Byte': 'byte',
  'java.lang.Character': 'char',
  'java.lang.Double': 'double',
  'java.lang.Float': 'float',
  'java.lang.Boolean': 'boolean',
};
const PRIMITIVES = new Set(['int', 'long', 'short', 'byte', 'char', 'double', 'float', 'boolean']);

/** The Java array types a typed array can stand for, closest first. */
export function javaArrayTypes(array: SendableArray): readonly string[] {
  if (array instanceof Uint8Array || array instanceof Int8Array) return ['byte[]'];
  if (array instanceof Int16Array) return ['short[]'];
  if (array instanceof Uint16Array) return ['short[]', 'char[]'];
  if (array instanceof Int32Array || array instanceof Uint32Array) return ['int[]'];
  if (array instanceof Float32Array) return ['float[]'];
  return ['double[]'];
}

export function isTypedArgument(value: unknown): value is TypedArgument {
  return value instanceof TypedArgumentImpl;
}

export function isRemoteHandle(value: unknown): value is RemoteHandle {
  const candidate = value as Partial<RemoteHandle> | null;
  return (
    typeof candidate === 'object' && candidate !== null && typeof candidate.hashCode === 'string' && Array.isArray(candidate.interfaces)
  );
}

function isSendableArray(value: unknown): value is SendableArray {
  return (
    ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array)
  );
}

function numberCost(javaType: string, value: number): number | undefined {
  const primitive = BOXES[javaType] ?? javaType;
  const boxed = primitive !== javaType ? BOXED_COST : 0;
  if (javaType === 'java.lang.Number') return OBJECT_COST - 2;
  if (Number.isInteger(value)) {
    const range = INTEGER_RANGES[primitive];
    if (range && (value < range[0] || value > range[1])) return undefined;
    const cost = INTEGER_COST[primitive];
    return cost === undefined ? undefined : cost + boxed;
  }
  const cost = FRACTION_COST[primitive];
  return cost === undefined ? undefined : cost + boxed;
}

/** How far `value` is from parameter type `javaType`; undefined when it cannot be passed there. */
export function argumentCost(javaType: string, value: unknown): number | undefined {
  if (value === null || value === undefined) return PRIMITIVES.has(javaType) ? undefined : 0;
  if (typeof value === 'number') return javaType === 'java.lang.Object' ? OBJECT_COST : numberCost(javaType, value);
  if (typeof value === 'boolean')
    return javaType === 'boolean'
      ? 0
      : javaType === 'java.lang.Boolean'
        ? BOXED_COST
        : javaType === 'java.lang.Object'
          ? OBJECT_COST
          : undefined;
  if (typeof value === 'string') {
    if (javaType === 'java.lang.String') return 0;
    if (javaType === 'java.lang.CharSequence') return 5;
    return javaType === 'java.lang.Object' ? OBJECT_COST : undefined;
  }
  if (isSendableArray(value)) {
    const index = javaArrayTypes(value).indexOf(javaType);
    if (index >= 0) return index;
    return javaType === 'java.lang.Object' ? OBJECT_COST : undefined;
  }
  if (isRemoteHandle(value)) {
    if (javaType === value.className) return 0;
    const index = value.interfaces.indexOf(javaType);
    if (index >= 0) return javaType === 'java.lang.Object' ? OBJECT_COST : index + 1;
    return javaType === 'java.lang.Object' ? OBJECT_COST : undefined;
  }
  return undefined;
}

function wireArgument(javaType: string, value: unknown): { wire: unknown; deserializeAs: string } {
  if (isRemoteHandle(value)) return { wire: { 'hash-code': value.hashCode }, deserializeAs: javaType };
  if (isSendableArray(value)) return { wire: value, deserializeAs: javaType.endsWith('[]') ? javaType : javaArrayTypes(value)[0] };
  return { wire: value === undefined ? null : value, deserializeAs: javaType };
}

export function chooseOverload(api: readonly JavaMethod[], name: string, args: readonly unknown[]): ChosenOverload | undefined {
  let best: { method: JavaMethod; cost: number } | undefined;
  for (const method of api) {
    if (method.name !== name || method.arguments.length !== args.length) continue;
    let cost = 0;
    for (let i = 0; i < args.length && cost !== Infinity; i++) {
      const arg = args[i];
      const type = method.arguments[i];
      const one = isTypedArgument(arg) ? (arg.javaType === type ? argumentCost(type, arg.value) : undefined) : argumentCost(type, arg);
      cost = one === undefined ? Infinity : cost + one;
    }
    if (cost !== Infinity && (!best || cost < best.cost)) best = { method, cost };
  }
  if (!best) return undefined;
  const method = best.method;
  const wire = args.map((arg, i) => wireArgument(method.arguments[i], isTypedArgument(arg) ? arg.value : arg));
  return { method, deserializationTypes: wire.map((w) => w.deserializeAs), wireArguments: wire.map((w) => w.wire) };
}

/** A readable list of a method's overloads, for errors. */
export function describeOverloads(api: readonly JavaMethod[], name: string): string {
  const known = api.filter((m) => m.name === name).map((m) => `${name}(${m.arguments.join(', ')})`);
  return known.length ? [...new Set(known)].join(' | ') : 'no such method';
}

export function describeArguments(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (isTypedArgument(a)) return a.javaType;
      if (a === null || a === undefined) return 'null';
      if (isRemoteHandle(a)) return a.className;
      if (ArrayBuffer.isView(a)) return a.constructor.name;
      if (typeof a === 'number') return Number.isInteger(a) ? 'integer' : 'number';
      return typeof a;
    })
    .join(', ');
}
