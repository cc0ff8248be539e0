import { startMicroManagerSimulator, type RunningMicroManagerSimulator } from './index';
import { RawBridgeClient } from './testing/raw-client';

const S = 'java.lang.String';

describe('sequence acquisition into the circular buffer', () => {
  let sim: RunningMicroManagerSimulator;
  let client: RawBridgeClient;
  let core: string;
  const value = async (name: string, types: string[] = [], args: unknown[] = []) => (await client.call(core, name, types, args)).json.value;
  const setProperty = (device: string, name: string, text: string) => client.call(core, 'setProperty', [S, S, S], [device, name, text]);
  const until = async (probe: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 2000; i++) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`never happened: ${what}`);
  };
  const tagsOf = async (tagged: string) => {
    const reply = await client.send({ command: 'get-field', 'hash-code': tagged, name: 'tags' });
    await client.send({ command: 'destructor', 'hash-code': tagged });
    return JSON.parse(String(reply.json.value)) as Record<string, unknown>;
  };

  beforeAll(async () => {
    sim = await startMicroManagerSimulator({ port: 0 });
    client = new RawBridgeClient(sim.endpoint);
    core = await client.core();
    // Small frames: rendering is slow inside jest; FastImage keeps the producer from re-rendering.
    await setProperty('Camera', 'OnCameraCCDXSize', '64');
    await setProperty('Camera', 'OnCameraCCDYSize', '64');
  });

  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('delivers a finite sequence frame by frame with MMCore metadata, then stops by itself', async () => {
    await client.call(core, 'setExposure', ['double'], [2]);
    await client.call(core, 'startSequenceAcquisition', ['int', 'double', 'boolean'], [5, 0, true]);
    expect(firstLine(await client.run(core, 'snapImage'))).toBe('java.lang.Exception: Action not allowed during sequence acquisition');
    const numbers: unknown[] = [];
    let tags: Record<string, unknown> = {};
    while (numbers.length < 5) {
      await until(async () => Number(await value('getRemainingImageCount')) > 0, 'a frame');
      tags = await tagsOf(String((await client.call(core, 'popNextTaggedImage')).json['hash-code']));
      numbers.push(tags.ImageNumber);
    }
    expect(numbers).toEqual(['0', '1', '2', '3', '4']);
    expect(tags).toMatchObject({
      Camera: 'Camera',
      Width: 64,
      Height: 64,
      PixelType: 'GRAY16',
      Binning: '1',
      'ROI-X-start': '0',
      CameraChannelIndex: 0,
      'Core-Camera': 'Camera',
    });
    expect(String(tags['ElapsedTime-ms'])).toMatch(/^\d+\.\d\d$/);
    expect(String(tags.TimeReceivedByCore)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(await value('isSequenceRunning')).toBe(false);
    expect(firstLine(await client.run(core, 'popNextImage'))).toBe('java.lang.Exception: Circular buffer is empty.');
  });

  it('overflows a stop-on-overflow sequence: the camera stops, the buffered frames remain, then popNext fails', async () => {
    await setProperty('Camera', 'FastImage', '1');
    await client.call(core, 'setExposure', ['double'], [0]);
    await client.call(core, 'setCircularBufferMemoryFootprint', ['long'], [1]);
    const capacity = Number(await value('getBufferTotalCapacity'));
    expect(capacity).toBe((1024 * 1024) / (64 * 64 * 2));
    await client.call(core, 'startSequenceAcquisition', ['int', 'double', 'boolean'], [1000, 0, true]);
    await until(async () => (await value('isSequenceRunning')) === false, 'the sequence to stop');
    expect(await value('isBufferOverflowed')).toBe(true);
    expect(await value('getRemainingImageCount')).toBe(capacity);
    expect(await value('getBufferFreeCapacity')).toBe(0);
    for (let i = 0; i < capacity; i++) expect((await client.call(core, 'popNextImage')).parts[2].length).toBe(64 * 64 * 2);
    expect(firstLine(await client.run(core, 'popNextImage'))).toBe('java.lang.Exception: Circular buffer overflowed.');
    await client.call(core, 'clearCircularBuffer');
    expect(await value('isBufferOverflowed')).toBe(false);
  });

  it('empties and refills the buffer when full in overwrite mode (stopOnOverflow false), keeping image numbers', async () => {
    const capacity = Number(await value('getBufferTotalCapacity'));
    const count = 2 * capacity + 44;
    await client.call(core, 'startSequenceAcquisition', [S, 'int', 'double', 'boolean'], ['Camera', count, 0, false]);
    await until(async () => (await value('isSequenceRunning')) === false, 'the sequence to end');
    expect(await value('isBufferOverflowed')).toBe(false);
    expect(await value('getRemainingImageCount')).toBe(44);
    const first = await tagsOf(String((await client.call(core, 'popNextTaggedImage')).json['hash-code']));
    expect(first.ImageNumber).toBe(String(2 * capacity));
    const last = await tagsOf(String((await client.call(core, 'getLastTaggedImage')).json['hash-code']));
    expect(last.ImageNumber).toBe(String(count - 1));
    await client.call(core, 'setCircularBufferMemoryFootprint', ['long'], [250]);
  });

  it('runs continuously until stopped', async () => {
    await client.call(core, 'setExposure', ['double'], [1]);
    await client.call(core, 'startContinuousSequenceAcquisition', ['double'], [0]);
    expect(await value('isSequenceRunning')).toBe(true);
    expect(await value('isSequenceRunning', [S], ['Camera'])).toBe(true);
    await until(async () => Number(await value('getRemainingImageCount')) >= 3, 'three frames');
    expect((await client.call(core, 'getLastImage')).json.type).toBe('short-array');
    await client.call(core, 'stopSequenceAcquisition');
    expect(await value('isSequenceRunning')).toBe(false);
    const remaining = Number(await value('getRemainingImageCount'));
    await new Promise((r) => setTimeout(r, 20));
    expect(await value('getRemainingImageCount')).toBe(remaining);
  });
});

function firstLine(reply: { json: Record<string, unknown> }): string {
  return String(reply.json.value).split('\n')[0];
}
