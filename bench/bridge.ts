/**
 * `npm run bench -- bridge [--seconds 3]`: frames per second through our Micro-Manager bridge client against the
 * simulated Micro-Manager (a child process, camera 2048×2048 or 512×512 16-bit, FastImage=1), for
 * (a) snapImage + getImage and (b) a continuous sequence acquisition drained with popNextImage.
 * The peer, measured in the same run, is bare zeromq Request/Reply in Node: a REP server in a child process
 * answering every request with a payload of one frame's size. ratio = our fps / peer fps. A third case,
 * client-only, runs our client's getImage against that same peer server (it speaks just enough of the bridge):
 * the client's own cost, apart from the simulator's.
 * Ours and the peer alternate in short rounds so that load from other processes falls on both alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import * as zmq from 'zeromq';
import { z } from 'zod';
import { scriptOptions } from '../src/cli/run-script';
import { SimulatorProcess } from '../src/hardware/simulation/simulator-process';
import { alignmentStats, connectMicroManager, type MicroManagerCore } from '../src/hardware/micro-manager';

const root = resolve(__dirname, '..');
const OPTIONS = z.object({ seconds: z.coerce.number().positive().default(3).describe('measuring time per case') });
const { seconds } = scriptOptions('bench bridge', process.argv.slice(2), OPTIONS, 'npm run bench -- bridge [--seconds 3]').options;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Frames counted and seconds spent running `frame()` for `durationMs`. */
async function run(frame: () => Promise<number>, durationMs: number): Promise<{ frames: number; seconds: number; cpuMs: number }> {
  let frames = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < durationMs) frames += await frame();
  const used = process.cpuUsage(cpu);
  return { frames, seconds: (performance.now() - start) / 1000, cpuMs: (used.user + used.system) / 1000 };
}

interface Side {
  readonly frame: () => Promise<number>;
  readonly before?: () => Promise<void>;
  readonly after?: () => Promise<void>;
}

const ROUNDS = 6;

/**
 * Ours and the peer in alternating short rounds, so load from other processes on the machine falls on both
 * alike; frames per second of each over all its rounds, after a warm-up round each.
 */
async function interleaved(ours: Side, peer: Side): Promise<Record<'fps' | 'peerFps' | 'cpuMsPerFrame' | 'peerCpuMsPerFrame', number>> {
  const totals = { ours: { frames: 0, seconds: 0, cpuMs: 0 }, peer: { frames: 0, seconds: 0, cpuMs: 0 } };
  const roundMs = (seconds * 1000) / ROUNDS;
  for (let round = -1; round < ROUNDS; round++) {
    for (const [name, side] of [
      ['peer', peer],
      ['ours', ours],
    ] as const) {
      await side.before?.();
      const result = await run(side.frame, round < 0 ? 300 : roundMs);
      await side.after?.();
      if (round < 0) continue;
      totals[name].frames += result.frames;
      totals[name].seconds += result.seconds;
      totals[name].cpuMs += result.cpuMs;
    }
  }
  return {
    fps: totals.ours.frames / totals.ours.seconds,
    peerFps: totals.peer.frames / totals.peer.seconds,
    cpuMsPerFrame: totals.ours.cpuMs / totals.ours.frames,
    peerCpuMsPerFrame: totals.peer.cpuMs / totals.peer.frames,
  };
}

// The peer's server, a child process so it does not share our event loop (as the simulator does not). It also
// speaks just enough of the bridge (connect, the core, getImage and its geometry) for our client to run against
// it, which measures what the client itself costs per frame.
const PEER_SERVER = `
const zmq = require('zeromq');
(async () => {
  const socket = new zmq.Reply({ linger: 0 });
  await socket.bind('tcp://127.0.0.1:' + process.argv[1]);
  const bytes = Number(process.argv[2]);
  const side = Math.round(Math.sqrt(bytes / 2));
  const payload = Buffer.alloc(bytes, 7);
  const id = Buffer.alloc(4);
  id.writeInt32LE(0x1b6d3586, 0);
  const image = [JSON.stringify({ type: 'short-array', value: '[B@1b6d3586' }), id, payload];
  const api = ['getImage', 'getImageWidth', 'getImageHeight', 'getBytesPerPixel', 'getImageBitDepth'].map((name) => ({ name, arguments: [], 'return-type': 'long' }));
  const core = JSON.stringify({ type: 'unserialized-object', class: 'mmcorej.CMMCore', 'hash-code': 'core', port: 0, interfaces: ['mmcorej.CMMCore'], fields: [], api });
  const values = { getImageWidth: side, getImageHeight: side, getBytesPerPixel: 2, getImageBitDepth: 16 };
  process.stdout.write('ready\\n');
  for await (const [request] of socket) {
    const { command, name } = JSON.parse(request.toString('latin1'));
    if (name === 'getImage') await socket.send(image);
    else if (command === 'constructor') await socket.send(core);
    else if (name in values) await socket.send(JSON.stringify({ type: 'primitive', value: values[name] }));
    else await socket.send(JSON.stringify({ type: 'none', version: '5.1.0' }));
  }
})();`;

async function startPeer(port: number, bytes: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', PEER_SERVER, String(port), String(bytes)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((done, fail) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && done());
    child.once('exit', (code) => fail(new Error(`peer server exited with ${code}`)));
  });
  return child;
}

/** A bare REQ socket to the peer REP server: one small request, one frame-sized reply. */
async function startPeerSide(bytes: number): Promise<Side & { readonly endpoint: string; close(): void }> {
  const port = await freePort();
  const child = await startPeer(port, bytes);
  const endpoint = `tcp://127.0.0.1:${port}`;
  const socket = new zmq.Request({ linger: 0 });
  socket.connect(endpoint);
  const request = Buffer.from('{"command":"run-method","name":"getImage"}');
  return {
    endpoint,
    async frame() {
      await socket.send(request);
      const [, , payload] = await socket.receive();
      return payload.length === bytes ? 1 : 0;
    },
    close() {
      socket.close();
      child.kill('SIGTERM');
    },
  };
}

/** Our client's getImage against the peer's server: the client's own cost, without the simulator's. */
function clientOnlySide(core: MicroManagerCore, pixels: number): Side {
  return { frame: async () => ((await core.getImage()).pixels.length === pixels ? 1 : 0) };
}

async function configureCamera(core: MicroManagerCore, sizePx: number): Promise<string> {
  const camera = await core.getCameraDevice();
  await core.stopSequenceAcquisition().catch(() => undefined);
  await core.setProperty(camera, 'PixelType', '16bit');
  await core.setProperty(camera, 'OnCameraCCDXSize', sizePx);
  await core.setProperty(camera, 'OnCameraCCDYSize', sizePx);
  await core.setProperty(camera, 'FastImage', '1');
  await core.setExposure(1);
  const geometry = await core.getImageGeometry();
  if (geometry.width !== sizePx || geometry.height !== sizePx || geometry.bytesPerPixel !== 2) {
    throw new Error(`camera is ${geometry.width}×${geometry.height}×${geometry.bytesPerPixel} B, wanted ${sizePx}×${sizePx}×2 B`);
  }
  return camera;
}

function snapSide(core: MicroManagerCore, pixels: number): Side {
  return {
    async frame() {
      await core.snapImage();
      return (await core.getImage()).pixels.length === pixels ? 1 : 0;
    },
  };
}

/** A continuous acquisition per round; pops every frame MMCore's buffer holds before asking how many there are. */
function sequenceSide(core: MicroManagerCore, pixels: number, overflows: { count: number }): Side {
  return {
    async before() {
      await core.clearCircularBuffer().catch(() => undefined);
      await core.startContinuousSequenceAcquisition(0);
    },
    async frame() {
      const waiting = await core.getRemainingImageCount();
      let frames = 0;
      for (let i = 0; i < waiting; i++) frames += (await core.popNextImage()).pixels.length === pixels ? 1 : 0;
      return frames;
    },
    async after() {
      if (await core.isBufferOverflowed().catch(() => false)) overflows.count++;
      await core.stopSequenceAcquisition();
    },
  };
}

async function main(): Promise<void> {
  const port = await freePort();
  const simulator = new SimulatorProcess({
    entry: 'simulators/micro-manager/main.ts',
    args: ['--port', String(port)],
    host: '127.0.0.1',
    port,
  });
  await simulator.start();
  const core = connectMicroManager({ endpoint: `tcp://127.0.0.1:${port}`, timeoutMs: 10_000 });
  try {
    await core.waitConnected();
    for (const sizePx of [2048, 512]) {
      const pixels = sizePx * sizePx;
      const bytes = pixels * 2;
      await configureCamera(core, sizePx);
      const peer = await startPeerSide(bytes);
      const clientOnly = connectMicroManager({ endpoint: peer.endpoint, timeoutMs: 10_000 });
      try {
        for (const name of ['snap', 'sequence', 'client-only'] as const) {
          const copiesBefore = alignmentStats.copies;
          const overflows = { count: 0 };
          const ours =
            name === 'snap'
              ? snapSide(core, pixels)
              : name === 'sequence'
                ? sequenceSide(core, pixels, overflows)
                : clientOnlySide(clientOnly, pixels);
          const { fps, peerFps, cpuMsPerFrame, peerCpuMsPerFrame } = await interleaved(ours, peer);
          const line = {
            bench: 'bridge',
            case: `${name}-${sizePx}`,
            fps: Number(fps.toFixed(1)),
            gbps: Number(((fps * bytes) / 1e9).toFixed(3)),
            peerFps: Number(peerFps.toFixed(1)),
            ratio: Number((fps / peerFps).toFixed(3)),
            cpuMsPerFrame: Number(cpuMsPerFrame.toFixed(2)),
            peerCpuMsPerFrame: Number(peerCpuMsPerFrame.toFixed(2)),
            alignmentCopies: alignmentStats.copies - copiesBefore,
            ...(name === 'sequence' ? { roundsOverflowed: overflows.count } : {}),
          };
          process.stdout.write(JSON.stringify(line) + '\n');
        }
      } finally {
        await clientOnly.close();
        peer.close();
      }
    }
  } finally {
    await core.close();
    await simulator.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bridge bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
