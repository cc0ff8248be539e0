import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { javaApiFromTranscript, listingFileName, listingFileText } from './java-api/from-transcript';
import { javaHashMapOrder, javaDoubleText, javaQuote } from './java-json';
import { enumListing, recordedListing, vectorListing } from './java-listings';
import { DEVICE_TYPES } from './java-enums';

const TRANSCRIPT = resolve(__dirname, '../../../shared/data/micro-manager/bridge-transcript-real.jsonl');

describe('the committed Java API listings', () => {
  const recorded = javaApiFromTranscript(readFileSync(TRANSCRIPT, 'utf8'));

  it('are exactly what scripts/extract-java-api.ts extracts from the real session, file for file', () => {
    expect(recorded.map((l) => l.class)).toEqual([
      'mmcorej.CMMCore',
      'mmcorej.StrVector',
      'mmcorej.TaggedImage',
      'java.awt.geom.Point2D$Double',
    ]);
    for (const listing of recorded) {
      expect(readFileSync(join(__dirname, 'java-api', listingFileName(listing.class)), 'utf8')).toBe(listingFileText(listing));
      expect(recordedListing(listing.class)).toEqual(listing);
    }
    expect(recordedListing('mmcorej.CMMCore').api).toHaveLength(389);
  });

  it('derive the vectors and enums the recording does not hand out in the same shape', () => {
    const longs = vectorListing('mmcorej.LongVector');
    expect(longs.interfaces[0]).toBe('mmcorej.LongVector');
    expect(longs.api).toContainEqual({ name: 'get', arguments: ['int'], 'return-type': 'java.lang.Integer' });
    expect(longs.api).toContainEqual({ name: 'doGet', arguments: ['int'], 'return-type': 'int' });
    expect(JSON.stringify(longs)).not.toContain('StrVector');
    expect(vectorListing('mmcorej.DoubleVector').api).toContainEqual({
      name: 'add',
      arguments: ['java.lang.Double'],
      'return-type': 'boolean',
    });
    const deviceType = enumListing('mmcorej.DeviceType', DEVICE_TYPES);
    expect(deviceType.fields).toContain('CameraDevice');
    expect(deviceType.interfaces).toEqual([
      'mmcorej.DeviceType',
      'java.lang.Enum',
      'java.lang.constant.Constable',
      'java.lang.Comparable',
      'java.io.Serializable',
      'java.lang.Object',
    ]);
    expect(deviceType.api).toContainEqual({ name: 'swigToEnum', arguments: ['int'], 'return-type': 'mmcorej.DeviceType' });
  });
});

describe('Java-compatible JSON text', () => {
  it('orders keys as java.util.HashMap iterates them, as in the recorded replies', () => {
    const lines = readFileSync(TRANSCRIPT, 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    const core = JSON.parse(lines[5]) as { json: Record<string, unknown> };
    expect(javaHashMapOrder(['type', 'class', 'hash-code', 'port', 'interfaces', 'fields', 'api'])).toEqual(Object.keys(core.json));
    expect(javaHashMapOrder(['name', 'return-type', 'arguments'])).toEqual(['name', 'arguments', 'return-type']);
  });

  it('writes doubles like Java (whole numbers without ".0", small and large ones in E notation)', () => {
    expect([25, 100.005, -49.995, 1e-4, 12345678.5, 0].map(javaDoubleText)).toEqual([
      '25',
      '100.005',
      '-49.995',
      '1.0E-4',
      '1.23456785E7',
      '0',
    ]);
  });

  it('escapes strings like org.json', () => {
    expect(javaQuote('a"b\\c</d\n\t\u0001\u0085µ')).toBe('"a\\"b\\\\c<\\/d\\n\\t\\u0001\\u0085µ"');
  });
});
