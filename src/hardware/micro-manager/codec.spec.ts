import { alignmentStats } from './pixel-views';
import { decodeReply, ReplyFormatError, type JavaMethod } from './reply-decoding';
import { encodeRequest, RequestEncodingError } from './request-encoding';
import { chooseOverload, typed } from './overload-selection';
import { remoteError } from './java-object';
import { exchanges, partsOf, readTranscript } from './testing/transcript';

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'latin1');
const arrayId = (id: number) => {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(id >>> 0, 0);
  return head;
};

describe('request encoding', () => {
  it('sends ASCII JSON, escaping every character above 0x7F so the latin1 server reads it intact', () => {
    const request = { command: 'run-method', arguments: ['5 µm', 'Zeiss®', '日本', '🔬'] };
    const [part0, ...rest] = encodeRequest(request);
    expect(rest).toHaveLength(0);
    expect([...part0].every((byte) => byte < 0x80)).toBe(true);
    expect(part0.toString('latin1')).toContain('5 \\u00b5m');
    expect(JSON.parse(part0.toString('latin1'))).toEqual(request);
  });

  it('replaces each array by "@<id>_0" and sends (int32 id, big-endian elements) pairs', () => {
    const shorts = new Uint16Array([0x0102, 0xa0b0]);
    const doubles = new Float64Array([1.5]);
    const parts = encodeRequest({ command: 'run-method', arguments: ['Camera', shorts, doubles] });
    expect(parts).toHaveLength(5);
    const sent = JSON.parse(parts[0].toString('latin1')) as { arguments: string[] };
    const [, first, second] = sent.arguments;
    expect(first).toMatch(/^@\d+_0$/);
    expect(second).toMatch(/^@\d+_0$/);
    expect(first).not.toBe(second);
    expect(parts[1].readInt32LE(0)).toBe(Number(first.slice(1, -2)));
    expect(parts[3].readInt32LE(0)).toBe(Number(second.slice(1, -2)));
    expect([...parts[2]]).toEqual([0x01, 0x02, 0xa0, 0xb0]);
    expect(parts[4].readDoubleBE(0)).toBe(1.5);
    // The caller's arrays are left as they were.
    expect([...shorts]).toEqual([0x0102, 0xa0b0]);
  });

  it('sends byte arrays and Buffers as they are', () => {
    const parts = encodeRequest({ command: 'set-field', value: Buffer.from([1, 2, 3]) });
    expect(parts).toHaveLength(3);
    expect([...parts[2]]).toEqual([1, 2, 3]);
  });

  it("refuses a string containing '@' in a request that carries arrays, which wedges the real server", () => {
    expect(() => encodeRequest({ command: 'run-method', arguments: ['user@lab', new Uint8Array(2)] })).toThrow(RequestEncodingError);
    expect(() => encodeRequest({ command: 'run-method', arguments: ['user@lab', new Uint8Array(2)] })).toThrow(/'@'.*wedges/);
    expect(encodeRequest({ command: 'run-method', arguments: ['user@lab'] })).toHaveLength(1);
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => encodeRequest({ command: 'run-method', arguments: [Number.NaN] })).toThrow(/NaN/);
    expect(() => encodeRequest({ command: 'run-method', arguments: [Infinity] })).toThrow(RequestEncodingError);
  });
});

describe('reply decoding', () => {
  it('accepts every reply the real server sent in the recorded session', () => {
    const replies = readTranscript().filter((m) => m.dir === 'reply');
    expect(replies).toHaveLength(131);
    for (const reply of replies) {
      const decoded = decodeReply(partsOf(reply));
      expect(decoded.reply.type).toBe(reply.json.type);
      if (reply.binary.length) {
        if (decoded.kind !== 'array') throw new Error('expected an array');
        const head = Buffer.from(reply.binary[0].head_hex, 'hex');
        expect(decoded.elements).toBeInstanceOf(Uint16Array);
        expect(decoded.elements.length).toBe(reply.binary[0].nbytes / 2);
        expect(decoded.elements[0]).toBe(head.readUInt16LE(0));
        expect(decoded.elements[7]).toBe(head.readUInt16LE(14));
      }
    }
  });

  it('reads part 0 as ISO-8859-1: µ is the single byte 0xB5', () => {
    const part0 = Buffer.concat([Buffer.from('{"type":"string","value":"0.5 '), Buffer.from([0xb5]), Buffer.from('m"}')]);
    const decoded = decodeReply([part0]);
    expect(decoded.kind === 'value' && decoded.reply.type === 'string' && decoded.reply.value).toBe('0.5 µm');
  });

  it('views the pixels in the received buffer without copying, and copies only a misaligned one', () => {
    const before = { ...alignmentStats };
    const payload = Buffer.from(new Uint16Array([10, 20, 30, 40]).buffer);
    const aligned = decodeReply([json({ type: 'short-array', value: '[B@9a6e8eb' }), arrayId(0x9a6e8eb), payload]);
    if (aligned.kind !== 'array') throw new Error('expected an array');
    expect(aligned.elements.buffer).toBe(payload.buffer);
    expect([...aligned.elements]).toEqual([10, 20, 30, 40]);
    expect(alignmentStats.views).toBe(before.views + 1);
    expect(alignmentStats.copies).toBe(before.copies);

    const odd = Buffer.alloc(9);
    payload.copy(odd, 1);
    const misaligned = decodeReply([json({ type: 'short-array', value: '[B@1' }), arrayId(1), odd.subarray(1)]);
    if (misaligned.kind !== 'array') throw new Error('expected an array');
    expect([...misaligned.elements]).toEqual([10, 20, 30, 40]);
    expect(alignmentStats.copies).toBe(before.copies + 1);
    expect(alignmentStats.bytesCopied).toBe(before.bytesCopied + 8);
  });

  it('matches placeholders of negative Java hash codes, printed as unsigned hex', () => {
    const decoded = decodeReply([
      json({ type: 'float-array', value: '[B@ffffffff' }),
      arrayId(-1),
      Buffer.from(new Float32Array([0.25]).buffer),
    ]);
    expect(decoded.kind === 'array' && [...decoded.elements]).toEqual([0.25]);
  });

  it.each<[string, Buffer[], RegExp]>([
    ['text that is not JSON', [Buffer.from('{"type":')], /not JSON/],
    ['an unknown reply type', [json({ type: 'banana', value: 1 })], /breaks the protocol at type/],
    ['a primitive that is text', [json({ type: 'primitive', value: 'x' })], /breaks the protocol at value/],
    ['a remote object without api', [json({ type: 'unserialized-object', class: 'X', 'hash-code': 'h' })], /breaks the protocol at api/],
    ['a string reply with an array pair', [json({ type: 'string', value: 'x' }), arrayId(1), Buffer.alloc(2)], /carries no binary parts/],
    ['an array reply without its pair', [json({ type: 'short-array', value: '[B@1' })], /no array part does not match placeholder/],
    [
      'an array under another identifier',
      [json({ type: 'short-array', value: '[B@8' }), arrayId(7), Buffer.alloc(2)],
      /7 does not match placeholder \[B@8/,
    ],
    ['a half pair', [json({ type: 'short-array', value: '[B@1' }), arrayId(1)], /whole \(id, bytes\) pairs/],
    ['an identifier of 3 bytes', [json({ type: 'short-array', value: '[B@1' }), Buffer.alloc(3), Buffer.alloc(2)], /3 bytes, not 4/],
    [
      'shorts in an odd number of bytes',
      [json({ type: 'short-array', value: '[B@1' }), arrayId(1), Buffer.alloc(3)],
      /not a whole number of 2-byte/,
    ],
  ])('rejects %s', (_name, parts, message) => {
    expect(() => decodeReply(parts)).toThrow(ReplyFormatError);
    expect(() => decodeReply(parts)).toThrow(message);
  });
});

describe('overload selection against the real CMMCore api listing', () => {
  const coreApi = exchanges()[2].reply.json.api as JavaMethod[];
  const pick = (name: string, ...args: unknown[]) => chooseOverload(coreApi, name, args)?.method.arguments;

  it('picks by argument count and JS types as pyjavaz does, preferring the closest Java type', () => {
    expect(coreApi.length).toBeGreaterThan(300);
    expect(pick('getImage')).toEqual([]);
    expect(pick('setExposure', 25)).toEqual(['double']);
    expect(pick('setExposure', 'Camera', 25)).toEqual(['java.lang.String', 'double']);
    expect(pick('setXYPosition', 'XY', 100, -50)).toEqual(['java.lang.String', 'double', 'double']);
    expect(pick('startSequenceAcquisition', 10, 0, true)).toEqual(['int', 'double', 'boolean']);
    expect(pick('setProperty', 'Camera', 'Binning', 2)).toEqual(['java.lang.String', 'java.lang.String', 'int']);
    expect(pick('setProperty', 'LED', 'Intensity', 42.5)).toEqual(['java.lang.String', 'java.lang.String', 'double']);
    expect(pick('setProperty', 'Camera', 'Binning', '2')).toEqual(['java.lang.String', 'java.lang.String', 'java.lang.String']);
    expect(pick('setProperty', 'Shutter', 'State', true)).toEqual(['java.lang.String', 'java.lang.String', 'boolean']);
    expect(pick('setProperty', 'Camera', 'Binning', typed('double', 2))).toEqual(['java.lang.String', 'java.lang.String', 'double']);
  });

  it('finds nothing for a wrong count, a wrong type, or an integer type given a fraction', () => {
    expect(pick('getImageWidth', 1)).toBeUndefined();
    expect(pick('getProperty', 'Camera', 3)).toBeUndefined();
    expect(pick('setState', 'Dichroic', 1.5)).toBeUndefined();
    expect(pick('setState', 'Dichroic', typed('int', 1.5))).toBeUndefined();
    expect(pick('noSuchMethod')).toBeUndefined();
  });

  it('passes remote objects by hash code when their interfaces fit, and arrays with their Java array type', () => {
    const api: JavaMethod[] = [
      { name: 'take', arguments: ['java.awt.geom.Point2D'], 'return-type': 'void' },
      { name: 'put', arguments: ['java.lang.String', 'short[]'], 'return-type': 'void' },
      { name: 'put', arguments: ['java.lang.Object'], 'return-type': 'void' },
    ];
    const point = {
      hashCode: 'h1',
      className: 'java.awt.geom.Point2D$Double',
      interfaces: ['java.awt.geom.Point2D$Double', 'java.awt.geom.Point2D', 'java.lang.Object'],
    };
    expect(chooseOverload(api, 'take', [point])?.wireArguments).toEqual([{ 'hash-code': 'h1' }]);
    expect(chooseOverload(api, 'take', [{ ...point, interfaces: ['java.lang.Object'] }])).toBeUndefined();
    const shorts = new Uint16Array(3);
    const chosen = chooseOverload(api, 'put', ['frame', shorts]);
    expect(chosen?.deserializationTypes).toEqual(['java.lang.String', 'short[]']);
    expect(chosen?.wireArguments[1]).toBe(shorts);
    expect(chooseOverload(api, 'put', [new Float32Array(2)])?.deserializationTypes).toEqual(['float[]']);
  });
});

describe('server exceptions', () => {
  it("read MMCore's message and the Java class from the first line of the real server's text", () => {
    const reply = exchanges().find((e) => e.reply.json.type === 'exception')!.reply.json.value as string;
    const error = remoteError('getProperty', 'tcp://127.0.0.1:4827', reply);
    expect(error.method).toBe('getProperty');
    expect(error.javaClass).toBe('java.lang.Exception');
    expect(error.remoteMessage).toBe('No device with label "NoSuchDevice"');
    expect(error.message).toBe('getProperty on tcp://127.0.0.1:4827 failed: No device with label "NoSuchDevice"');
    expect(error.remoteStack).toContain('mmcorej.CMMCore.getProperty');
  });
});
