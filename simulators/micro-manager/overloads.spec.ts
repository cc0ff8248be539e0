import { JavaServerError } from './java-errors';
import type { JavaClassListing } from './java-listings';
import { resolveCall } from './overloads';
import { ClientArray, decodeRequest } from './wire';

const listing: JavaClassListing = {
  class: 'org.example.Target',
  interfaces: ['org.example.Target', 'java.lang.Object'],
  fields: [],
  api: [
    { name: 'put', arguments: ['java.lang.String', 'short[]'], 'return-type': 'void' },
    { name: 'put', arguments: ['java.lang.String', 'int[]'], 'return-type': 'void' },
    { name: 'scale', arguments: ['double'], 'return-type': 'double' },
    { name: 'scale', arguments: ['int'], 'return-type': 'int' },
    { name: 'flag', arguments: ['boolean'], 'return-type': 'void' },
  ],
};
const noObjects = () => {
  throw new Error('no remote objects here');
};

describe('argument decoding and overload resolution of run-method', () => {
  it('reads a client array big-endian, as the real server does, by its deserialization type', () => {
    const id = Buffer.alloc(4);
    id.writeInt32LE(-12345, 0);
    const body = Buffer.from([0x01, 0x02, 0xff, 0xfe]);
    const message = decodeRequest([
      Buffer.from(
        JSON.stringify({
          name: 'put',
          'argument-types': ['java.lang.String', 'short[]'],
          'argument-deserialization-types': ['java.lang.String', 'short[]'],
          arguments: ['roi', '@-12345_0'],
        }),
      ),
      id,
      body,
    ]);
    expect((message.arguments as unknown[])[1]).toEqual(new ClientArray(body, 0));
    const call = resolveCall(listing, message, noObjects);
    expect(call.signature).toBe('put(java.lang.String,short[])');
    expect(Array.from(call.args[1] as Int16Array)).toEqual([0x0102, -2]);
  });

  it('picks the overload the argument types name and converts numbers like Java casts', () => {
    const asInt = resolveCall(
      listing,
      { name: 'scale', 'argument-types': ['int'], 'argument-deserialization-types': ['int'], arguments: [2.9] },
      noObjects,
    );
    expect([asInt.signature, asInt.args[0]]).toEqual(['scale(int)', 2]);
    const asDouble = resolveCall(
      listing,
      { name: 'scale', 'argument-types': ['double'], 'argument-deserialization-types': ['int'], arguments: [3] },
      noObjects,
    );
    expect([asDouble.signature, asDouble.args[0]]).toEqual(['scale(double)', 3]);
  });

  it('fails like Method.invoke for a value of the wrong kind, and names missing overloads', () => {
    const mismatch = () =>
      resolveCall(
        listing,
        { name: 'flag', 'argument-types': ['boolean'], 'argument-deserialization-types': ['boolean'], arguments: [1] },
        noObjects,
      );
    expect(mismatch).toThrow(JavaServerError);
    expect(mismatch).toThrow('argument type mismatch');
    expect(() =>
      resolveCall(
        listing,
        { name: 'scale', 'argument-types': ['java.lang.Double'], 'argument-deserialization-types': ['java.lang.Double'], arguments: [1] },
        noObjects,
      ),
    ).toThrow('No Matching method found with argument types');
    expect(() =>
      resolveCall(
        listing,
        { name: 'scale', 'argument-types': ['int'], 'argument-deserialization-types': ['int'], arguments: ['x'] },
        noObjects,
      ),
    ).toThrow('class java.lang.String cannot be cast to class java.lang.Number');
  });
});
