import type { JavaClassListing } from './java-listings';
import type { JavaJsonObject } from './java-json';
import type { ArrayKind } from './wire';

/** A Java value as the bridge serializes it (ZMQUtil.toJSON, or a remote reference for everything else). */
export type JavaValue =
  | { readonly kind: 'none' }
  /** `double` marks values Java holds as double/float (they print like Double.toString). */
  | { readonly kind: 'primitive'; readonly value: number | boolean; readonly double?: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'json'; readonly value: JavaJsonObject }
  | { readonly kind: 'array'; readonly arrayKind: ArrayKind; readonly bytes: Uint8Array }
  | { readonly kind: 'remote'; readonly object: RemoteObject };

/** How a call reaches an object: the matched overload's signature, e.g. "setXYPosition(java.lang.String,double,double)". */
export interface Invocation {
  readonly signature: string;
  readonly args: readonly unknown[];
  /** true for `run-method` with `"static": true` (a call on a java.lang.Class). */
  readonly isStatic: boolean;
}

/** An object handed out by reference: the client sees its listing and calls back by hash-code. */
export interface RemoteObject {
  readonly listing: JavaClassListing;
  invoke(call: Invocation): JavaValue | Promise<JavaValue>;
  getField(name: string): JavaValue;
  setField(name: string, value: unknown): void;
}

export const NONE: JavaValue = { kind: 'none' };
export const primitive = (value: number | boolean): JavaValue => ({ kind: 'primitive', value });
export const double = (value: number): JavaValue => ({ kind: 'primitive', value, double: true });
export const string = (value: string): JavaValue => ({ kind: 'string', value });
export const remote = (object: RemoteObject): JavaValue => ({ kind: 'remote', object });
export const json = (value: JavaJsonObject): JavaValue => ({ kind: 'json', value });

/** A pixel array as MMCoreJ returns it: 8-bit → byte[], 16-bit → short[] (elements little-endian on the wire). */
export function pixelArray(pixels: Uint16Array | Uint8Array): JavaValue {
  const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  return { kind: 'array', arrayKind: pixels instanceof Uint8Array ? 'byte-array' : 'short-array', bytes };
}

/** A Java value passed back as a reference argument (`{"hash-code": …}`), resolved by the server. */
export interface RemoteArgument {
  readonly remote: RemoteObject;
}

export function isRemoteArgument(value: unknown): value is RemoteArgument {
  return typeof value === 'object' && value !== null && 'remote' in value;
}
