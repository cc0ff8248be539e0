import type { ArrayKind } from './wire';
import type { JavaClassListing } from './java-api/from-transcript';

/** A Java value as the bridge serializes it. */
export type JavaValue =
  | { readonly kind: 'none' }
  | { readonly kind: 'primitive'; readonly value: number | boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'array'; readonly arrayKind: ArrayKind; readonly bytes: Uint8Array }
  | { readonly kind: 'remote'; readonly object: RemoteObject };

/** An object handed out by reference: the client sees its listing and calls back by hash-code. */
export interface RemoteObject {
  readonly listing: JavaClassListing;
  call(signature: string, args: readonly unknown[]): JavaValue | Promise<JavaValue>;
  field(name: string): JavaValue;
}

export const NONE: JavaValue = { kind: 'none' };
export const primitive = (value: number | boolean): JavaValue => ({ kind: 'primitive', value });
export const string = (value: string): JavaValue => ({ kind: 'string', value });

export function pixelArray(pixels: Uint16Array | Uint8Array): JavaValue {
  const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  return { kind: 'array', arrayKind: pixels instanceof Uint8Array ? 'byte-array' : 'short-array', bytes };
}
