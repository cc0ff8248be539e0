/** mmcorej.TaggedImage: public fields `pix` (the pixel array) and `tags` (a JSONObject of metadata). */
import { JavaServerError } from './java-errors';
import type { JavaJsonObject } from './java-json';
import { recordedListing } from './java-listings';
import { makeRemoteObject } from './remote-object';
import { NONE, json, primitive, string, type JavaValue, type RemoteObject } from './remote-values';
import { ClientArray } from './wire';

/** Field.set of a value the client sent (a JSON scalar, a byte array or a remote object). */
function fieldValue(value: unknown): JavaValue {
  if (value === null || value === undefined) return NONE;
  if (typeof value === 'string') return string(value);
  if (typeof value === 'number' || typeof value === 'boolean') return primitive(value);
  if (value instanceof ClientArray) return { kind: 'array', arrayKind: 'byte-array', bytes: value.bytes };
  return { kind: 'remote', object: value as RemoteObject };
}

export function taggedImage(pix: JavaValue, tags: JavaJsonObject): RemoteObject {
  let pixValue = pix;
  let tagsValue: JavaValue = json(tags);
  return makeRemoteObject({
    listing: recordedListing('mmcorej.TaggedImage'),
    fields: {
      pix: {
        get: () => pixValue,
        set: (value) => {
          pixValue = fieldValue(value);
        },
      },
      tags: {
        get: () => tagsValue,
        set: (value) => {
          if (value !== null) {
            throw new JavaServerError(
              'java.lang.IllegalArgumentException',
              'Can not set mmcorej.org.json.JSONObject field mmcorej.TaggedImage.tags to a value that is not a JSONObject',
              'setField',
            );
          }
          tagsValue = NONE;
        },
      },
    },
  });
}
