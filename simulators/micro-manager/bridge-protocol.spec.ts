import { startMicroManagerSimulator, type RunningMicroManagerSimulator } from './index';
import { RawBridgeClient } from './testing/raw-client';

const firstLine = (reply: { json: Record<string, unknown> }) => String(reply.json.value).split('\n')[0];

describe('the simulated bridge server, on the wire', () => {
  let sim: RunningMicroManagerSimulator;
  let client: RawBridgeClient;
  let core: string;

  beforeAll(async () => {
    sim = await startMicroManagerSimulator({ port: 0 });
    client = new RawBridgeClient(sim.endpoint);
    core = await client.core();
  });

  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('answers connect with its version, and works without it', async () => {
    expect((await client.send({ command: 'connect', debug: false })).text).toBe('{"type":"none","version":"5.1.0"}');
    expect((await client.call(core, 'getVersionInfo')).json.value).toBe('MMCore version 12.5.0');
  });

  it('hands out a fresh hash-code per hand-out, the same object keeping its identity prefix', async () => {
    const again = await client.core();
    expect(again).not.toBe(core);
    expect(again).toMatch(/^[0-9a-f]{1,8}[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again.slice(0, -36)).toBe(core.slice(0, -36));
    await client.send({ command: 'destructor', 'hash-code': again });
  });

  it('answers what the real server cannot (malformed JSON, @ beside binary parts, bad suffixes) with exceptions and keeps serving', async () => {
    const id = Buffer.alloc(4);
    id.writeInt32LE(77, 0);
    const replies = [
      await client.send(Buffer.from('{"command": "connect", ')),
      await client.send([
        Buffer.from(JSON.stringify({ command: 'run-method', name: 'x', arguments: ['user@lab', '@77_0'] })),
        id,
        Buffer.alloc(4),
      ]),
      await client.send([Buffer.from(JSON.stringify({ command: 'run-method', arguments: ['@77_3'] })), id, Buffer.alloc(4)]),
      await client.send({ command: 'teleport' }),
    ];
    expect(replies.map((r) => r.json.type)).toEqual(['exception', 'exception', 'exception', 'exception']);
    expect(firstLine(replies[0])).toMatch(/^java\.lang\.RuntimeException: mmcorej\.org\.json\.JSONException/);
    expect(firstLine(replies[1])).toMatch(/NumberFormatException: For input string: "ser@lab"/);
    expect(firstLine(replies[2])).toMatch(/unknown bytes per pixel 3/);
    expect(replies[3].text).toMatch(
      /^\{"type":"exception","value":"java.lang.RuntimeException: Unknown Command\\n\\tat org.micromanager.pyjavaz.ZMQServer/,
    );
    expect((await client.call(core, 'getCameraDevice')).json.value).toBe('Camera');
  });

  it('rejects a short[] sent with the _2 suffix as the real server does (ClassCastException)', async () => {
    const id = Buffer.alloc(4);
    id.writeInt32LE(5, 0);
    const message = {
      command: 'run-method',
      static: false,
      'hash-code': core,
      name: 'setSLMImage',
      'argument-types': ['java.lang.String', 'byte[]'],
      'argument-deserialization-types': ['java.lang.String', 'byte[]'],
      arguments: ['SLM', '@5_2'],
    };
    const reply = await client.send([Buffer.from(JSON.stringify(message)), id, Buffer.alloc(8)]);
    expect(firstLine(reply)).toMatch(/^java\.lang\.ClassCastException: class \[S cannot be cast to class \[B/);
  });

  it('treats unknown hash-codes like the real server: NullPointerException for calls and fields, none for destructor', async () => {
    const call = await client.run('deadbeef-0000-4000-8000-000000000000', 'getVersionInfo');
    expect(firstLine(call)).toBe('java.lang.NullPointerException: Cannot invoke "Object.getClass()" because "obj" is null');
    expect(String(call.json.value).split('\n')[1]).toBe('\tat org.micromanager.pyjavaz.ZMQServer.runMethod(ZMQServer.java:393)');
    expect(firstLine(await client.send({ command: 'get-field', 'hash-code': 'nope', name: 'x' }))).toMatch(
      /^java\.lang\.NullPointerException/,
    );
    expect((await client.send({ command: 'destructor', 'hash-code': 'nope' })).text).toBe('{"type":"none"}');
  });

  it('resolves overloads by name and parameter types: a JSON integer fits double, java.lang.Double is another type', async () => {
    await client.call(core, 'setExposure', ['double'], [25]);
    expect((await client.call(core, 'getExposure')).text).toBe('{"type":"primitive","value":25}');
    await client.call(core, 'setExposure', ['java.lang.String', 'double'], ['Camera', 12.5]);
    expect((await client.call(core, 'getExposure', ['java.lang.String'], ['Camera'])).json.value).toBe(12.5);
    expect(firstLine(await client.run(core, 'setExposure', ['java.lang.Double'], [25]))).toBe(
      'java.lang.RuntimeException: No Matching method found with argument types',
    );
    expect(firstLine(await client.run(core, 'getBananas'))).toBe('java.lang.NoSuchMethodException: mmcorej.CMMCore.getBananas()');
    await client.call(core, 'setProperty', ['java.lang.String', 'java.lang.String', 'int'], ['Camera', 'Binning', 2]);
    expect((await client.call(core, 'getImageWidth')).json.value).toBe(256);
    await client.call(core, 'setProperty', ['java.lang.String', 'java.lang.String', 'java.lang.String'], ['Camera', 'Binning', '1']);
  });

  it('reports MMCore errors as the method exception of the real server, and unimplemented methods by name', async () => {
    const error = await client.run(core, 'getProperty', ['java.lang.String', 'java.lang.String'], ['Camera', 'Colour']);
    expect(String(error.json.value).split('\n').slice(0, 3)).toEqual([
      'java.lang.Exception: Property "Colour" not defined for device "Camera"',
      'mmcorej.MMCoreJJNI.CMMCore_getProperty(Native Method)',
      'mmcorej.CMMCore.getProperty(CMMCore.java:472)',
    ]);
    expect(firstLine(await client.run(core, 'getROI'))).toBe(
      'java.lang.UnsupportedOperationException: mmcorej.CMMCore.getROI() is not implemented by the simulated Micro-Manager',
    );
  });

  it('hands out enums as remote mmcorej.DeviceType objects that can be passed back by reference', async () => {
    const type = await client.call(core, 'getDeviceType', ['java.lang.String'], ['Camera']);
    expect(type.json).toMatchObject({ type: 'unserialized-object', class: 'mmcorej.DeviceType' });
    const hash = String(type.json['hash-code']);
    expect((await client.call(hash, 'toString')).json.value).toBe('CameraDevice');
    expect((await client.call(hash, 'swigValue')).json.value).toBe(2);
    const cameras = await client.call(core, 'getLoadedDevicesOfType', ['mmcorej.DeviceType'], [{ 'hash-code': hash }]);
    expect(await client.strings(String(cameras.json['hash-code']))).toEqual(['Camera']);
    const propertyType = await client.call(core, 'getPropertyType', ['java.lang.String', 'java.lang.String'], ['Camera', 'Exposure']);
    expect((await client.call(String(propertyType.json['hash-code']), 'name')).json.value).toBe('Float');
  });

  it('serves static methods through get-class', async () => {
    const enumClass = await client.send({ command: 'get-class', classpath: 'mmcorej.DeviceType' });
    expect(enumClass.json).toMatchObject({ type: 'unserialized-object', class: 'java.lang.Class', interfaces: ['mmcorej.DeviceType'] });
    const xyType = await client.send({
      command: 'run-method',
      static: true,
      'hash-code': enumClass.json['hash-code'],
      name: 'swigToEnum',
      'argument-types': ['int'],
      'argument-deserialization-types': ['int'],
      arguments: [6],
    });
    expect((await client.call(String(xyType.json['hash-code']), 'name')).json.value).toBe('XYStageDevice');
    const coreClass = await client.send({ command: 'get-class', classpath: 'mmcorej.CMMCore' });
    const major = await client.send({
      command: 'run-method',
      static: true,
      'hash-code': coreClass.json['hash-code'],
      name: 'getMMCoreVersionMajor',
      'argument-types': [],
      'argument-deserialization-types': [],
      arguments: [],
    });
    expect(major.text).toBe('{"type":"primitive","value":12}');
    expect(firstLine(await client.send({ command: 'get-class', classpath: 'org.example.Nothing' }))).toBe(
      'java.lang.RuntimeException: Class not found on any classloaders',
    );
  });

  it('serves an object constructed with new-port on a port of its own, closed when its last object is released', async () => {
    const reply = await client.send({
      command: 'constructor',
      classpath: 'mmcorej.CMMCore',
      'argument-types': [],
      'argument-deserialization-types': [],
      arguments: [],
      'new-port': true,
    });
    const port = Number(reply.json.port);
    expect(port).not.toBe(sim.port);
    expect(sim.server.childPorts).toEqual([port]);
    const side = new RawBridgeClient(`tcp://127.0.0.1:${port}`);
    try {
      const hash = String(reply.json['hash-code']);
      expect((await side.call(hash, 'getCameraDevice')).json.value).toBe('Camera');
      const devices = await side.call(hash, 'getLoadedDevices');
      expect(devices.json.port).toBe(port);
      await side.send({ command: 'destructor', 'hash-code': devices.json['hash-code'] });
      expect(sim.server.childPorts).toEqual([port]);
      await side.send({ command: 'destructor', 'hash-code': hash });
      expect(sim.server.childPorts).toEqual([]);
    } finally {
      side.close();
    }
  });

  it('reads and writes public fields (Point2D.Double x and y)', async () => {
    await client.call(core, 'setXYPosition', ['java.lang.String', 'double', 'double'], ['XY', 12.5, -3]);
    const point = String((await client.call(core, 'getXYStagePosition')).json['hash-code']);
    expect((await client.send({ command: 'get-field', 'hash-code': point, name: 'x' })).text).toBe('{"type":"primitive","value":12.5}');
    expect((await client.send({ command: 'set-field', 'hash-code': point, name: 'y', value: 7 })).json.type).toBe('none');
    expect((await client.call(point, 'getY')).json.value).toBe(7);
    expect(firstLine(await client.send({ command: 'get-field', 'hash-code': point, name: 'z' }))).toBe('java.lang.NoSuchFieldException: z');
  });

  it('encodes text as ISO-8859-1: µ is one byte, characters beyond it become ?', async () => {
    await client.call(
      core,
      'setProperty',
      ['java.lang.String', 'java.lang.String', 'java.lang.String'],
      ['Camera', 'AsyncPropertyLeader', '5 µm ≥ 4'],
    );
    const reply = await client.call(core, 'getProperty', ['java.lang.String', 'java.lang.String'], ['Camera', 'AsyncPropertyLeader']);
    expect(reply.parts[0].includes(Buffer.from([0x35, 0x20, 0xb5, 0x6d, 0x20, 0x3f, 0x20, 0x34]))).toBe(true);
    expect(reply.json.value).toBe('5 µm ? 4');
  });

  it('returns pixels as a short-array part pair whose identifier matches the placeholder', async () => {
    await client.call(
      core,
      'setProperty',
      ['java.lang.String', 'java.lang.String', 'java.lang.String'],
      ['Camera', 'OnCameraCCDXSize', '64'],
    );
    await client.call(
      core,
      'setProperty',
      ['java.lang.String', 'java.lang.String', 'java.lang.String'],
      ['Camera', 'OnCameraCCDYSize', '32'],
    );
    await client.call(core, 'setExposure', ['double'], [1]);
    await client.call(core, 'snapImage');
    const image = await client.call(core, 'getImage');
    expect(image.json.type).toBe('short-array');
    expect(image.parts).toHaveLength(3);
    expect(image.parts[1].readInt32LE(0)).toBe(parseInt(String(image.json.value).slice(3), 16));
    expect(image.parts[2].length).toBe(64 * 32 * 2);
  });
});
