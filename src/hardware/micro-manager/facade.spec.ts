import { startMicroManagerSimulator } from '../../../simulators/micro-manager';
import { startSimulatorChild, type SimulatorChild } from '../../../test/support/simulator-child';
import { BridgeRemoteError, BridgeTimeoutError, alignmentStats, connectMicroManager, type MicroManagerCore } from './index';
import { MicroManagerLightSource } from './devices';

describe('the CMMCore facade against the simulated Micro-Manager', () => {
  let sim: SimulatorChild;
  let core: MicroManagerCore;

  beforeAll(async () => {
    sim = await startSimulatorChild();
    core = connectMicroManager({ endpoint: sim.endpoint, timeoutMs: 5000 });
    await core.waitConnected();
  });

  afterAll(async () => {
    await core.close();
    await sim.stop();
  });

  it('reads version information and the devices with their types and libraries', async () => {
    expect(await core.getVersionInfo()).toBe('MMCore version 12.5.0');
    expect(await core.getAPIVersionInfo()).toMatch(/Device API version/);
    const devices = await core.getLoadedDevices();
    expect(devices).toEqual([
      'DHub',
      'Camera',
      'Dichroic',
      'Emission',
      'Excitation',
      'Objective',
      'Z',
      'Path',
      'XY',
      'Shutter',
      'Autofocus',
      'LED',
      'Core',
    ]);
    expect(await core.getDeviceType('Camera')).toBe('CameraDevice');
    expect(await core.getDeviceType('XY')).toBe('XYStageDevice');
    expect(await core.getDeviceType('Dichroic')).toBe('StateDevice');
    expect(await core.getDeviceLibrary('Camera')).toBe('DemoCamera');
    expect(await core.getDeviceDescription('Z')).toBe('Demo stage driver');
    expect(core.serverVersion).toBe('5.1.0');
  });

  it('reads and writes properties with their allowed values, limits and read-only flags', async () => {
    expect(await core.getDevicePropertyNames('Camera')).toEqual(expect.arrayContaining(['Binning', 'Exposure', 'PixelType']));
    expect(await core.getAllowedPropertyValues('Camera', 'Binning')).toEqual(['1', '2', '4', '8']);
    await core.setProperty('Camera', 'Binning', 2);
    expect(await core.getProperty('Camera', 'Binning')).toBe('2');
    expect(await core.getImageWidth()).toBe(256);
    await core.setProperty('Camera', 'Binning', '1');
    expect(await core.getPropertyLimits('LED', 'Intensity')).toEqual({ lower: 0, upper: 100 });
    expect(await core.getPropertyLimits('Camera', 'PixelType')).toBeUndefined();
    expect(await core.isPropertyReadOnly('LED', 'MaxPower_mW')).toBe(true);
    expect(await core.getPropertyType('Camera', 'Exposure')).toBe('Float');
    await expect(core.setProperty('Camera', 'Binning', 3)).rejects.toThrow(/Invalid property value "3"/);
  });

  it('lists config groups and presets, applies one and reports it current', async () => {
    expect(await core.getAvailableConfigGroups()).toEqual(
      expect.arrayContaining(['Channel', 'Objective', 'Camera', 'System', 'LightPath']),
    );
    expect(await core.getAvailableConfigs('Channel')).toEqual(['Cy5', 'DAPI', 'FITC', 'Rhodamine']);
    await core.setConfig('Channel', 'Rhodamine');
    await core.waitForConfig('Channel', 'Rhodamine');
    expect(await core.getCurrentConfig('Channel')).toBe('Rhodamine');
    expect(await core.getStateLabel('Dichroic')).toBe('Q585LP');
  });

  it('snaps 16-bit images as zero-copy Uint16Array views and 8-bit ones as Uint8Array', async () => {
    await core.setExposure(5);
    expect(await core.getExposure()).toBe(5);
    await core.snapImage();
    const image = await core.getImage();
    expect(image.pixels).toBeInstanceOf(Uint16Array);
    expect([image.width, image.height, image.bytesPerPixel, image.bitDepth]).toEqual([512, 512, 2, 16]);
    expect(image.pixels.length).toBe(512 * 512);
    expect(Math.max(...image.pixels.subarray(0, 4096))).toBeGreaterThan(0);
    expect(alignmentStats.copies).toBe(0);
    await core.setProperty('Camera', 'PixelType', '8bit');
    await core.snapImage();
    const small = await core.getImage();
    expect(small.pixels).toBeInstanceOf(Uint8Array);
    expect(small.bitDepth).toBe(8);
    await core.setProperty('Camera', 'PixelType', '16bit');
  });

  it('returns tagged images with Micro-Manager metadata', async () => {
    await core.snapImage();
    const tagged = await core.getTaggedImage();
    expect(tagged.tags).toMatchObject({ Width: 512, Height: 512, PixelType: 'GRAY16', 'Core-Camera': 'Camera' });
    expect(tagged.pixels.length).toBe(512 * 512);
  });

  it('runs finite and continuous sequence acquisitions and pops their frames with tags', async () => {
    await core.setExposure(2);
    await core.startSequenceAcquisition(5, 0, true);
    const numbers: string[] = [];
    while (numbers.length < 5) {
      if ((await core.getRemainingImageCount()) === 0) {
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      numbers.push(String((await core.popNextTaggedImage()).tags.ImageNumber));
    }
    expect(numbers).toEqual(['0', '1', '2', '3', '4']);
    await new Promise((r) => setTimeout(r, 20));
    expect(await core.isSequenceRunning()).toBe(false);
    await core.startContinuousSequenceAcquisition(0);
    expect(await core.isSequenceRunning()).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect((await core.popNextImage()).pixels.length).toBe(512 * 512);
    await core.stopSequenceAcquisition();
    expect(await core.isSequenceRunning()).toBe(false);
  });

  it('moves the XY and Z stages absolutely and relatively and waits for them', async () => {
    const xy = await core.getXYStageDevice();
    const z = await core.getFocusDevice();
    await core.setXYPosition(xy, 100, -50);
    await core.waitForDevice(xy);
    expect(await core.getXYPosition()).toEqual({ x: 100, y: -50 });
    await core.setRelativeXYPosition(xy, 5, 5);
    expect(await core.getXYPosition(xy)).toEqual({ x: 105, y: -45 });
    await core.setPosition(z, 12.5);
    await core.waitForDevice(z);
    expect(await core.getPosition(z)).toBe(12.5);
    await core.setRelativePosition(z, -2.5);
    expect(await core.getPosition(z)).toBe(10);
    await core.waitForSystem();
    expect(await core.deviceBusy(z)).toBe(false);
  });

  it('opens and closes the shutter and toggles autoshutter', async () => {
    expect(await core.getShutterDevice()).toBe('Shutter');
    await core.setShutterOpen(true);
    expect(await core.getShutterOpen()).toBe(true);
    await core.setShutterOpen(false, 'Shutter');
    expect(await core.getShutterOpen('Shutter')).toBe(false);
    await core.setAutoShutter(false);
    expect(await core.getAutoShutter()).toBe(false);
    await core.setAutoShutter(true);
  });

  it('reads the pixel size from the objective preset', async () => {
    await core.setConfig('Objective', '40X');
    expect(await core.getPixelSizeUm()).toBe(0.25);
    await core.setConfig('Objective', '10X');
    expect(await core.getPixelSizeUm()).toBe(1);
  });

  it('drives the LED as a light source', async () => {
    const led = new MicroManagerLightSource(core, 'LED');
    await led.setPowerPercent(0, 42.5);
    await led.setChannelOn(0, true);
    expect(await led.getChannels()).toEqual([{ index: 0, wavelengthNm: 470, on: true, powerPercent: 42.5 }]);
    await led.allOff();
    expect((await led.getChannels())[0]).toMatchObject({ on: false, powerPercent: 0 });
  });

  it('turns a server exception into a typed error naming the method and MMCore message', async () => {
    const failure = core.getProperty('NoSuchDevice', 'Binning');
    await expect(failure).rejects.toBeInstanceOf(BridgeRemoteError);
    await expect(failure).rejects.toMatchObject({
      method: 'getProperty',
      remoteMessage: 'No device with label "NoSuchDevice"',
      javaClass: 'java.lang.Exception',
    });
    expect(await core.getCameraDevice()).toBe('Camera');
  });

  it('releases every remote object it is handed', async () => {
    // In-process here, to read the server's object table.
    const local = await startMicroManagerSimulator({ port: 0 });
    const client = connectMicroManager({ endpoint: local.endpoint });
    try {
      await client.getLoadedDevices();
      await client.getDeviceType('Camera');
      await client.getAvailableConfigs('Channel');
      await client.getXYPosition();
      // Only the core itself stays held by the server.
      expect(local.server.liveObjects).toBe(1);
      // Small frames: rendering inside jest is slow.
      await client.setProperty('Camera', 'OnCameraCCDXSize', 64);
      await client.setProperty('Camera', 'OnCameraCCDYSize', 64);
      for (let round = 0; round < 3; round++) {
        await client.getXYStagePosition();
        await client.getStateLabels('Objective');
        await client.getPropertyType('Camera', 'Exposure');
        await client.getAllowedPropertyValues('Camera', 'Binning');
        await client.snapImage();
        await client.getTaggedImage();
      }
      await client.startSequenceAcquisition(3, 0, true);
      for (let popped = 0; popped < 3;) {
        if ((await client.getRemainingImageCount()) === 0) await new Promise((r) => setTimeout(r, 5));
        else popped += (await client.popNextTaggedImage()).pixels.length === 64 * 64 ? 1 : 0;
      }
      expect(local.server.liveObjects).toBe(1);
    } finally {
      await client.close();
      await local.close();
    }
  });

  it('reads device names, property existence and limits one by one, and the channel group', async () => {
    expect(await core.getDeviceName('Camera')).toBe('DCam');
    expect(await core.hasProperty('Camera', 'Binning')).toBe(true);
    expect(await core.hasProperty('Camera', 'NoSuchProperty')).toBe(false);
    expect(await core.hasPropertyLimits('LED', 'Intensity')).toBe(true);
    expect(await core.getPropertyLowerLimit('LED', 'Intensity')).toBe(0);
    expect(await core.getPropertyUpperLimit('LED', 'Intensity')).toBe(100);
    expect(await core.getChannelGroup()).toBe('Channel');
  });

  it('reports the image geometry and refreshes its cache when the binning changes', async () => {
    expect([await core.getImageWidth(), await core.getImageHeight(), await core.getBytesPerPixel(), await core.getImageBitDepth()]).toEqual(
      [512, 512, 2, 16],
    );
    await core.snapImage();
    expect((await core.getImage()).width).toBe(512);
    await core.setProperty('Camera', 'Binning', '2');
    try {
      await core.snapImage();
      const binned = await core.getImage();
      expect([binned.width, binned.height, binned.pixels.length]).toEqual([256, 256, 256 * 256]);
    } finally {
      await core.setProperty('Camera', 'Binning', '1');
    }
  });

  it('refreshes the cached geometry when another client changed the camera', async () => {
    await core.snapImage();
    expect((await core.getImage()).width).toBe(512);
    const other = connectMicroManager({ endpoint: sim.endpoint, timeoutMs: 5000 });
    try {
      await other.setProperty('Camera', 'Binning', '4');
      await core.snapImage();
      const image = await core.getImage();
      expect([image.width, image.height, image.pixels.length]).toEqual([128, 128, 128 * 128]);
    } finally {
      await other.setProperty('Camera', 'Binning', '1');
      await other.close();
    }
  });

  it('reads the last tagged image and watches and clears the circular buffer', async () => {
    await core.setExposure(2);
    await core.startSequenceAcquisition(3, 0, true);
    while (await core.isSequenceRunning()) await new Promise((r) => setTimeout(r, 5));
    expect(await core.isBufferOverflowed()).toBe(false);
    const last = await core.getLastTaggedImage();
    expect(last.tags).toMatchObject({ Width: 512, Height: 512 });
    expect(last.pixels.length).toBe(512 * 512);
    expect(await core.getRemainingImageCount()).toBeGreaterThan(0);
    await core.clearCircularBuffer();
    expect(await core.getRemainingImageCount()).toBe(0);
  });

  it('reads the XY position through Point2D as through getXPosition/getYPosition', async () => {
    const xy = await core.getXYStageDevice();
    await core.setXYPosition(xy, -20, 30.5);
    expect(await core.getXYStagePosition()).toEqual(await core.getXYPosition());
    expect(await core.getXYStagePosition(xy)).toEqual({ x: -20, y: 30.5 });
  });

  it('drives state devices by position and by label', async () => {
    const labels = await core.getStateLabels('Objective');
    expect(labels.length).toBeGreaterThan(1);
    await core.setState('Objective', 1);
    expect(await core.getState('Objective')).toBe(1);
    expect(await core.getStateLabel('Objective')).toBe(labels[1]);
    await core.setStateLabel('Objective', labels[0]);
    expect(await core.getState('Objective')).toBe(0);
  });

  it('runs the autofocus device', async () => {
    expect(await core.getAutoFocusDevice()).toBe('Autofocus');
    await core.fullFocus();
    expect(typeof (await core.getPosition(await core.getFocusDevice()))).toBe('number');
  });

  it('times out a snap slower than the limit given, naming it, and keeps working afterwards', async () => {
    await core.setExposure(1500);
    try {
      const slow = core.snapImage({ timeoutMs: 200 });
      await expect(slow).rejects.toBeInstanceOf(BridgeTimeoutError);
      await expect(slow).rejects.toThrow(`snapImage on ${sim.endpoint} gave no reply in 200 ms`);
      expect(await core.getCameraDevice()).toBe('Camera');
    } finally {
      await core.setExposure(5);
    }
    // Without a limit of its own, a snap waits for its exposure on top of the usual limit.
    const patient = connectMicroManager({ endpoint: sim.endpoint, timeoutMs: 300 });
    try {
      await patient.setExposure(600);
      await patient.snapImage();
      expect((await patient.getImage()).pixels.length).toBe(512 * 512);
    } finally {
      await patient.setExposure(5);
      await patient.close();
    }
  });

  it('serializes concurrent callers, each getting its own answer', async () => {
    const labels = ['Dichroic', 'Emission', 'Excitation', 'Objective', 'Path'];
    const calls = Array.from({ length: 50 }, (_, i) => {
      const label = labels[i % labels.length];
      return i % 2 ? core.getDeviceDescription(label).then((d) => [label, d]) : core.getProperty(label, 'Name').then((n) => [label, n]);
    });
    const answers = await Promise.all(calls);
    const adapters: Record<string, [string, string]> = {
      Dichroic: ['DWheel', 'Demo filter wheel driver'],
      Emission: ['DWheel', 'Demo filter wheel driver'],
      Excitation: ['DWheel', 'Demo filter wheel driver'],
      Objective: ['DObjective', 'Demo objective turret driver'],
      Path: ['DLightPath', 'Demo light-path driver'],
    };
    answers.forEach(([label, answer], i) => expect(answer).toBe(adapters[label][i % 2]));
  });

  it('steps the focus through a loaded stage sequence, one position per camera frame, looping at its end', async () => {
    await expect(core.getStageSequenceMaxLength('Z')).rejects.toThrow(/not sequenceable/);
    expect(await core.isStageSequenceable('Z')).toBe(false);
    await core.setProperty('Z', 'UseSequences', 'Yes');
    try {
      expect(await core.isStageSequenceable('Z')).toBe(true);
      expect(await core.getStageSequenceMaxLength('Z')).toBe(2000);
      await core.setExposure(1);
      const last = async (positionsUm: number[], frames: number) => {
        await core.loadStageSequence('Z', positionsUm);
        await core.startStageSequence('Z');
        await core.startSequenceAcquisition(frames, 0, true);
        while ((await core.isSequenceRunning()) || (await core.getRemainingImageCount()) > 0) {
          if ((await core.getRemainingImageCount()) > 0) await core.popNextImage();
        }
        await core.stopStageSequence('Z');
        return core.getPosition('Z');
      };
      expect(await last([1.5, 2.5, 3.5], 3)).toBeCloseTo(3.5);
      expect(await last([1.5, 2.5, 3.5], 5)).toBeCloseTo(2.5);
      await expect(core.loadStageSequence('Z', [0, 1e9])).rejects.toThrow(/outside the stage's range/);
    } finally {
      await core.setProperty('Z', 'UseSequences', 'No');
      await core.setPosition('Z', 0);
      await core.setExposure(5);
    }
  });
});
