import { io, type Socket } from 'socket.io-client';
import { startSimulatedApp, type RunningApp } from './support/start-app';

interface FrameMessage {
  sequence: number;
  width: number;
  height: number;
  sourceWidth: number;
  pixels: Buffer;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the service in simulation mode', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startSimulatedApp();
  }, 60_000);

  afterAll(async () => {
    await running?.close();
  });

  it('reports health: mode, bridge connected, the demo devices, the ML runtime', async () => {
    const health = await waitFor(
      async () => {
        const body = (await (await fetch(`${running.url}/api/health`)).json()) as {
          microManager: { state: string };
          devices: Array<{ label: string; type: string }>;
        };
        return body.microManager.state === 'connected' && body.devices.length > 0 ? body : undefined;
      },
      30_000,
      'the bridge to connect',
    );
    expect(health).toMatchObject({ mode: 'simulation', status: 'ok' });
    const labels = health.devices.map((d) => d.label);
    expect(labels).toEqual(expect.arrayContaining(['Camera', 'XY', 'Z', 'Shutter', 'LED']));
    expect(health).toHaveProperty('ml.runtime');
    // which runtimes run, for inference and for training, and what the live branches and the agent are doing
    expect(health).toMatchObject({
      ml: {
        tfjs: { backend: expect.any(String) },
        training: { backend: expect.any(String), gradients: expect.any(String) },
        models: { available: expect.arrayContaining(['care-default', 'deep-storm-default']) },
        live: expect.arrayContaining([
          expect.objectContaining({ name: 'care', enabled: false }),
          expect.objectContaining({ name: 'storm', enabled: false }),
        ]),
      },
      agent: { enabled: false },
    });
  });

  it('serves the live page', async () => {
    const response = await fetch(`${running.url}/`);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('<canvas id="live"');
  });

  it('streams live frames as 8-bit binary previews that change from frame to frame', async () => {
    const socket: Socket = io(running.url, { transports: ['websocket'], forceNew: true });
    try {
      const frames: FrameMessage[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no frames in 30 s')), 30_000);
        socket.on('frame', (message: FrameMessage, ack: () => void) => {
          frames.push(message);
          ack();
          if (frames.length === 3) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const [first, , third] = frames;
      expect(first.sourceWidth).toBe(256);
      expect(first.pixels.byteLength).toBe(first.width * first.height);
      expect(third.sequence).toBeGreaterThan(first.sequence);
      // Shot noise alone makes consecutive frames differ.
      expect(Buffer.compare(Buffer.from(first.pixels), Buffer.from(third.pixels))).not.toBe(0);
    } finally {
      socket.close();
    }
  });
});
