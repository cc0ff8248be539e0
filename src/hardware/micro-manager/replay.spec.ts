import { BridgeRemoteError } from './errors';
import { JavaObject, toJavaResult, type JavaResult } from './java-object';
import { connectMicroManager } from './connect';
import { BridgeTransport } from './transport';
import { startReplayServer } from './testing/replay-server';
import { exchanges } from './testing/transcript';

/**
 * The recorded session between pycro-manager's client and Micro-Manager's real server, replayed by a REP server:
 * our client must send the very requests the real server was sent and understand the replies it gave.
 */
describe('the recorded session with the real Micro-Manager server', () => {
  it('sends every recorded request as pycro-manager sent it, through JavaObject proxies, and reads every reply', async () => {
    const pairs = exchanges();
    const server = await startReplayServer(pairs, 'ordered');
    const transport = new BridgeTransport({ endpoint: server.endpoint, timeoutMs: 5000, reconnectMaxDelayMs: 1000 });
    const objects = new Map<string, JavaObject>();
    try {
      for (const [index, { request, reply }] of pairs.entries()) {
        const sent = request.json as Record<string, unknown> & {
          command: string;
          'hash-code'?: string;
          name?: string;
          arguments?: unknown[];
        };
        const target = sent['hash-code'] ? objects.get(sent['hash-code']) : undefined;
        let result: JavaResult | Error;
        try {
          switch (sent.command) {
            case 'run-method':
              result = await target!.invoke(sent.name!, sent.arguments ?? []);
              break;
            case 'get-field':
              result = await target!.getField(sent.name!);
              break;
            case 'destructor':
              await target!.release();
              result = undefined;
              break;
            default:
              result = toJavaResult(transport, await transport.request(sent, sent.command), sent.command);
          }
        } catch (err) {
          result = err as Error;
        }
        if (result instanceof JavaObject) objects.set(result.hashCode, result);
        const expected = reply.json as { type: string; value?: unknown; class?: string };
        const where = `exchange ${index} (${sent.name ?? sent.command})`;
        switch (expected.type) {
          case 'none':
            expect([where, result]).toEqual([where, undefined]);
            break;
          case 'primitive':
          case 'string':
            expect([where, result]).toEqual([where, expected.value]);
            break;
          case 'short-array': {
            const head = Buffer.from(reply.binary[0].head_hex, 'hex');
            expect(result).toBeInstanceOf(Uint16Array);
            const pixels = result as Uint16Array;
            expect([where, pixels.length, pixels[0], pixels[1]]).toEqual([where, 512 * 512, head.readUInt16LE(0), head.readUInt16LE(2)]);
            break;
          }
          case 'object':
            expect(result).toMatchObject({ Width: 512, Height: 512, PixelType: 'GRAY16', 'Camera-PixelType': '16bit' });
            break;
          case 'unserialized-object':
            expect([where, result instanceof JavaObject && result.className]).toEqual([where, expected.class]);
            break;
          case 'exception':
            expect(result).toBeInstanceOf(BridgeRemoteError);
            expect(result).toMatchObject({ method: 'getProperty', remoteMessage: 'No device with label "NoSuchDevice"' });
            break;
          default:
            throw new Error(`${where}: unexpected recorded reply type ${expected.type}`);
        }
      }
      expect(server.mismatches).toEqual([]);
      expect(server.received).toHaveLength(pairs.length);
    } finally {
      transport.close();
      server.close();
    }
  });

  it('drives the same session through the CMMCore facade with only recorded requests', async () => {
    const server = await startReplayServer(exchanges(), 'lookup');
    const core = connectMicroManager({ endpoint: server.endpoint, timeoutMs: 5000 });
    try {
      expect(await core.getVersionInfo()).toBe('MMCore version 12.5.0');
      expect(core.serverVersion).toBe('5.1.0');
      expect(await core.getLoadedDevices()).toEqual([
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
        'Core',
      ]);
      expect(await core.getCameraDevice()).toBe('Camera');
      await core.setExposure(25);
      expect(await core.getExposure()).toBe(25);
      await core.snapImage();
      const tagged = await core.getTaggedImage();
      expect([tagged.width, tagged.height, tagged.bytesPerPixel, tagged.bitDepth, tagged.pixels.length]).toEqual([
        512,
        512,
        2,
        16,
        512 * 512,
      ]);
      expect(tagged.tags['Core-Camera']).toBe('Camera');
      await core.setXYPosition(await core.getXYStageDevice(), 100, -50);
      await core.waitForDevice('XY');
      expect(await core.getXYStagePosition()).toEqual({ x: 100.005, y: -49.995 });
      await core.setPosition(await core.getFocusDevice(), 12.5);
      expect(await core.getPosition('Z')).toBe(12.5);
      expect(await core.getProperty('Camera', 'Binning')).toBe('1');
      await core.setConfig('Channel', 'FITC');
      await core.waitForConfig('Channel', 'FITC');
      expect(await core.getCurrentConfig('Channel')).toBe('FITC');
      await core.setShutterOpen(true);
      expect(await core.getShutterOpen()).toBe(true);
      await core.setShutterOpen(false);
      expect(await core.getShutterOpen()).toBe(false);
      await core.startSequenceAcquisition(10, 0, true);
      await core.stopSequenceAcquisition();
      await expect(core.getProperty('NoSuchDevice', 'Binning')).rejects.toMatchObject({
        name: 'BridgeRemoteError',
        method: 'getProperty',
        message: `getProperty on ${server.endpoint} failed: No device with label "NoSuchDevice"`,
      });
      expect(server.mismatches).toEqual([]);
      // StrVector, TaggedImage and Point2D were each released after reading.
      const destroyed = server.received.filter((r) => r.command === 'destructor').map((r) => r.java_class_name);
      expect(destroyed).toEqual(['mmcorej.StrVector', 'mmcorej.TaggedImage', 'java.awt.geom.Point2D$Double']);
    } finally {
      await core.close();
      server.close();
    }
  });
});
