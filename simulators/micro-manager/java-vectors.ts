/** MMCoreJ's SWIG vectors (StrVector, LongVector, DoubleVector): java.util.List views of C++ std::vectors. */
import { JavaMethodError } from './java-errors';
import { javaDoubleToString } from './java-json';
import { recordedListing, vectorListing } from './java-listings';
import { makeRemoteObject } from './remote-object';
import { NONE, double, primitive, string, type JavaValue, type RemoteObject } from './remote-values';

type Element = 'string' | 'int' | 'double';

function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

function vector<T extends string | number>(listing: ReturnType<typeof recordedListing>, element: Element, values: T[]): RemoteObject {
  const wrap = (value: T): JavaValue =>
    element === 'string' ? string(String(value)) : element === 'double' ? double(Number(value)) : primitive(Number(value));
  const coerce = (value: unknown) => (element === 'string' ? String(value) : Number(value)) as T;
  const text = (value: T) => (element === 'double' ? javaDoubleToString(Number(value)) : String(value));
  const index = (arg: unknown, size = values.length): number => {
    const i = Number(arg);
    if (!Number.isInteger(i) || i < 0 || i >= size)
      throw new JavaMethodError('java.lang.IndexOutOfBoundsException', 'vector index out of range');
    return i;
  };
  const get = (a: readonly unknown[]) => wrap(values[index(a[0])]);
  const set = (a: readonly unknown[]) => {
    const i = index(a[0]);
    const old = values[i];
    values[i] = coerce(a[1]);
    return wrap(old);
  };
  const append = (a: readonly unknown[]) => {
    values.push(coerce(a[0]));
    return primitive(true);
  };
  const insert = (a: readonly unknown[]) => {
    values.splice(index(a[0], values.length + 1), 0, coerce(a[1]));
    return NONE;
  };
  const remove = (a: readonly unknown[]) => wrap(values.splice(index(a[0]), 1)[0]);
  const position = (a: readonly unknown[]) => values.findIndex((v) => text(v) === String(a[0]));
  const el = element === 'string' ? 'java.lang.String' : element === 'int' ? 'java.lang.Integer' : 'java.lang.Double';
  return makeRemoteObject({
    listing,
    methods: {
      'size()': () => primitive(values.length),
      'isEmpty()': () => primitive(values.length === 0),
      'capacity()': () => primitive(values.length),
      'reserve(long)': () => NONE,
      'clear()': () => {
        values.length = 0;
        return NONE;
      },
      'get(int)': get,
      [`set(int,${el})`]: set,
      'set(int,java.lang.Object)': set,
      [`add(${el})`]: append,
      'add(java.lang.Object)': append,
      [`add(int,${el})`]: insert,
      'add(int,java.lang.Object)': insert,
      'remove(int)': remove,
      'contains(java.lang.Object)': (a) => primitive(position(a) >= 0),
      'indexOf(java.lang.Object)': (a) => primitive(position(a)),
      'toString()': () => string(`[${values.map(text).join(', ')}]`),
      'hashCode()': () =>
        primitive(
          values.reduce<number>((h, v) => (Math.imul(31, h) + (element === 'string' ? javaStringHash(String(v)) : Number(v) | 0)) | 0, 1),
        ),
    },
  });
}

export const strVector = (values: readonly string[]): RemoteObject => vector(recordedListing('mmcorej.StrVector'), 'string', [...values]);
export const longVector = (values: readonly number[]): RemoteObject => vector(vectorListing('mmcorej.LongVector'), 'int', [...values]);
export const doubleVector = (values: readonly number[]): RemoteObject =>
  vector(vectorListing('mmcorej.DoubleVector'), 'double', [...values]);
