import { BridgeProtocolError } from './errors';
import { JavaObject, type JavaResult, type JsonObject } from './java-object';
import { typed } from './overload-selection';
import type { PixelView } from './pixel-views';

/**
 * Readers that turn the remote objects CMMCore hands out (StrVector, enums, Point2D, TaggedImage) into plain
 * values and release them on the server, whatever happens while reading.
 */

export function describeResult(value: JavaResult): string {
  if (value instanceof JavaObject) return value.className;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (value === undefined) return 'nothing';
  return typeof value;
}

export function unexpectedResult(method: string, endpoint: string, wanted: string, got: JavaResult): BridgeProtocolError {
  return new BridgeProtocolError(`${method} on ${endpoint}: expected ${wanted}, got ${describeResult(got)}`, endpoint, method);
}

function expectObject(value: JavaResult, method: string, endpoint: string, wanted: string): JavaObject {
  if (!(value instanceof JavaObject)) throw unexpectedResult(method, endpoint, wanted, value);
  return value;
}

/** Reads, then releases; a failed destructor does not hide the value read (or the error that stopped the read). */
async function releasing<T>(object: JavaObject, read: (o: JavaObject) => Promise<T>): Promise<T> {
  try {
    return await read(object);
  } finally {
    await object.release().catch(() => undefined);
  }
}

/** A StrVector (or any Java list of strings) as string[]; the vector is released. */
export async function readStrVector(value: JavaResult, method: string, endpoint: string): Promise<string[]> {
  return releasing(expectObject(value, method, endpoint, 'a StrVector'), async (vector) => {
    const size = await vector.invoke('size');
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
      throw unexpectedResult(`${method} size()`, endpoint, 'a count', size);
    // Queued back to back: the transport sends them one after another without waiting on this loop.
    const items = await Promise.all(Array.from({ length: size }, (_, i) => vector.invoke('get', [typed('int', i)])));
    return items.map((item, i) => {
      if (typeof item !== 'string') throw unexpectedResult(`${method} get(${i})`, endpoint, 'a string', item);
      return item;
    });
  });
}

/** An enum such as mmcorej.DeviceType by its name ("CameraDevice"); a server may also send it as text. */
export async function readEnumName(value: JavaResult, method: string, endpoint: string): Promise<string> {
  if (typeof value === 'string') return value;
  return releasing(expectObject(value, method, endpoint, 'an enum'), async (constant) => {
    const name = await constant.invoke('toString');
    if (typeof name !== 'string') throw unexpectedResult(`${method} toString()`, endpoint, 'a string', name);
    return name;
  });
}

/** A java.awt.geom.Point2D.Double through its public fields. */
export async function readPoint2D(value: JavaResult, method: string, endpoint: string): Promise<{ x: number; y: number }> {
  return releasing(expectObject(value, method, endpoint, 'a Point2D'), async (point) => {
    const x = await point.getField('x');
    const y = await point.getField('y');
    if (typeof x !== 'number' || typeof y !== 'number')
      throw unexpectedResult(method, endpoint, 'numeric x and y', typeof x !== 'number' ? x : y);
    return { x, y };
  });
}

export interface TaggedImageParts {
  readonly pix: PixelView;
  readonly tags: JsonObject;
}

/** A TaggedImage's `pix` and `tags` fields; the TaggedImage is released. */
export async function readTaggedImage(value: JavaResult, method: string, endpoint: string): Promise<TaggedImageParts> {
  return releasing(expectObject(value, method, endpoint, 'a TaggedImage'), async (image) => {
    const pix = await image.getField('pix');
    const tags = await image.getField('tags');
    if (!ArrayBuffer.isView(pix)) throw unexpectedResult(`${method} pix`, endpoint, 'a pixel array', pix);
    if (typeof tags !== 'object' || tags === null || ArrayBuffer.isView(tags) || tags instanceof JavaObject) {
      throw unexpectedResult(`${method} tags`, endpoint, 'a JSON object', tags);
    }
    return { pix, tags };
  });
}

/** One setting of a configuration preset: the property it sets and the value. */
export interface PresetSetting {
  readonly device: string;
  readonly property: string;
  readonly value: string;
}

/** An mmcorej.Configuration (what getConfigData returns) as its settings in order; every object is released. */
export async function readConfiguration(value: JavaResult, method: string, endpoint: string): Promise<PresetSetting[]> {
  return releasing(expectObject(value, method, endpoint, 'a Configuration'), async (config) => {
    const size = await config.invoke('size');
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
      throw unexpectedResult(`${method} size()`, endpoint, 'a count', size);
    // Queued back to back: the transport sends them one after another without waiting on this loop.
    const objects = await Promise.all(Array.from({ length: size }, (_, i) => config.invoke('getSetting', [typed('long', i)])));
    return Promise.all(
      objects.map((object, i) =>
        releasing(expectObject(object, `${method} getSetting(${i})`, endpoint, 'a PropertySetting'), async (s) => {
          const [device, property, text] = await Promise.all([
            s.invoke('getDeviceLabel'),
            s.invoke('getPropertyName'),
            s.invoke('getPropertyValue'),
          ]);
          if (typeof device !== 'string' || typeof property !== 'string' || typeof text !== 'string') {
            throw unexpectedResult(
              `${method} getSetting(${i})`,
              endpoint,
              'device, property and value as text',
              [device, property, text].find((v) => typeof v !== 'string'),
            );
          }
          return { device, property, value: text };
        }),
      ),
    );
  });
}
