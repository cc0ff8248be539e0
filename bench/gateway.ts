/**
 * `npm run bench -- gateway [--frames 200] [--size 512] [--exposure 5] [--clients 1,10,50] [--rounds 3]`
 *
 * The real service in simulation mode (its simulator a child process) runs an acquisition of `--frames` frames
 * while N socket.io clients watch; the clients live in a separate process, as browsers would, and acknowledge
 * each frame at once. Per case: frame-to-client latency p50/p99 (client receive time − the frame's wall time,
 * same machine clock), frames delivered per second (all clients, and per client), and the acquisition's own frame
 * rate (`--stalled`: the clients never acknowledge, so each gets one frame per 10 s); ratio = its median over the median rate with no client (runs without clients interleaved with the
 * client cases, `--rounds` times; goal ≥ 0.95).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { z } from 'zod';
import { scriptOptions } from '../src/cli/run-script';

const USAGE = 'npm run bench -- gateway [--frames 200] [--size 512] [--exposure 5] [--clients 1,10,50] [--rounds 3] [--stalled]';
const positive = (fallback: number) => z.coerce.number().positive().default(fallback);
const OPTIONS = z.object({
  frames: positive(200).pipe(z.number().int()),
  size: positive(512).pipe(z.number().int()),
  exposure: positive(5),
  clients: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'a comma-separated list of client counts')
    .default('1,10,50'),
  rounds: positive(3).pipe(z.number().int()),
  stalled: z.boolean().default(false).describe('the clients never acknowledge'),
  log: z.enum(['error', 'warn', 'info', 'debug']).default('error'),
});

interface ClientReport {
  readonly latenciesMs: number[];
  readonly framesPerClient: number[];
  readonly firstMs: number;
  readonly lastMs: number;
  /** CPU the client process used while watching, in % of one core: on a small machine it competes with the service. */
  readonly cpuPercent: number;
}

/** Child mode: connect `count` clients, count frames of `acquisitionId` (sent on stdin) until told to stop. */
async function runClients(url: string, count: number, stalled: boolean): Promise<void> {
  const latenciesMs: number[] = [];
  const framesPerClient = new Array<number>(count).fill(0);
  let acquisitionId: string | undefined;
  let firstMs = Infinity;
  let lastMs = 0;
  let cpuAtWatch = process.cpuUsage();
  let wallAtWatchMs = Date.now();
  const sockets = Array.from({ length: count }, (_, i) => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.on('frame', (message: { acquisitionId: string; wallTimeMs: number; stream: string }, ack: () => void) => {
      const nowMs = Date.now();
      if (!stalled) ack();
      if (message.stream !== 'raw' || !acquisitionId || message.acquisitionId !== acquisitionId) return;
      latenciesMs.push(nowMs - message.wallTimeMs);
      framesPerClient[i]++;
      firstMs = Math.min(firstMs, nowMs);
      lastMs = Math.max(lastMs, nowMs);
    });
    return socket;
  });
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve, reject) =>
          s.connected ? resolve() : (s.once('connect', () => resolve()), s.once('connect_error', reject)),
        ),
    ),
  );
  process.send!({ type: 'connected' });
  process.on('message', (message: { type: string; acquisitionId?: string }) => {
    if (message.type === 'watch') {
      acquisitionId = message.acquisitionId;
      cpuAtWatch = process.cpuUsage();
      wallAtWatchMs = Date.now();
    }
    if (message.type === 'stop') {
      for (const s of sockets) s.close();
      const cpu = process.cpuUsage(cpuAtWatch);
      const cpuPercent = ((cpu.user + cpu.system) / 1000 / Math.max(1, Date.now() - wallAtWatchMs)) * 100;
      const report: ClientReport = { latenciesMs, framesPerClient, firstMs, lastMs, cpuPercent };
      process.send!({ type: 'report', report }, () => process.exit(0));
    }
  });
}

function startClients(url: string, count: number, stalled: boolean): Promise<ChildProcess> {
  const child = fork(__filename, ['--child', url, String(count), stalled ? 'stalled' : 'acking'], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { type: string }) =>
      m.type === 'connected' ? resolve(child) : reject(new Error('clients did not connect')),
    );
    child.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
  });
}

function stopClients(child: ChildProcess): Promise<ClientReport> {
  return new Promise((resolve) => {
    child.on('message', (m: { type: string; report: ClientReport }) => m.type === 'report' && resolve(m.report));
    child.send({ type: 'stop' });
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] : NaN;
const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  require('reflect-metadata');
  const { createApp } = require('../src/main') as typeof import('../src/main');
  const { loadConfig } = require('../src/scope-config') as typeof import('../src/scope-config');
  const { freePort } = require('../test/support/free-port') as typeof import('../test/support/free-port');
  const args = scriptOptions('bench gateway', process.argv.slice(2), OPTIONS, USAGE).options;
  const { frames, size, rounds, stalled } = args;
  const exposureMs = args.exposure;
  const clientCounts = args.clients.split(',').map(Number);
  const directory = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
  const [httpPort, bridgePort] = [await freePort(), await freePort()];
  const config = loadConfig({
    overrides: {
      simulation: { enabled: true, cameraWidthPx: size, cameraHeightPx: size, serialLightSource: false },
      microManager: { endpoint: `tcp://127.0.0.1:${bridgePort}` },
      server: { host: '127.0.0.1', port: httpPort },
      storage: { directory, format: 'ome-tiff' },
      logging: { level: args.log },
    },
  });
  const app = await createApp(config);
  await app.listen(httpPort, '127.0.0.1');
  const url = `http://127.0.0.1:${httpPort}`;
  const post = async (path: string, body: unknown) =>
    (await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  try {
    for (let i = 0; i < 300; i++) {
      const health = (await (await fetch(`${url}/api/health`)).json()) as {
        status: string;
        devices: unknown[];
        microManager: { ready?: boolean };
      };
      if (health.status === 'ok' && health.devices.length > 0 && health.microManager.ready) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const plan = { time_plan: { interval: 0, loops: frames }, channels: [{ config: 'DAPI', exposure: exposureMs }] };
    const acquire = async (onStart?: (id: string) => void) => {
      const started = (await post('/api/acquisitions', plan)) as { id: string; message?: string };
      if (!started.id) throw new Error(`could not start: ${JSON.stringify(started)}`);
      onStart?.(started.id);
      for (;;) {
        const status = (await (await fetch(`${url}/api/acquisitions/${started.id}`)).json()) as {
          state: string;
          framesAcquired: number;
          elapsedS: number;
        };
        if (['finished', 'failed', 'cancelled'].includes(status.state)) return status;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await acquire(); // warm-up: JIT, file system, simulator
    // Rounds interleave the cases with runs without clients, so drift in the machine's load hits all alike.
    const baselines: number[] = [];
    const withClients = new Map<number, Array<{ fps: number; report: ClientReport; frames: number }>>();
    for (let round = 0; round < rounds; round++) {
      for (const count of [0, ...clientCounts]) {
        if (count === 0) {
          const status = await acquire();
          baselines.push(status.framesAcquired / status.elapsedS);
          continue;
        }
        const child = await startClients(url, count, stalled);
        const status = await acquire((id) => child.send({ type: 'watch', acquisitionId: id }));
        await new Promise((r) => setTimeout(r, 300));
        const report = await stopClients(child);
        const runs = withClients.get(count) ?? [];
        runs.push({ fps: status.framesAcquired / status.elapsedS, report, frames: status.framesAcquired });
        withClients.set(count, runs);
      }
    }
    const baselineFps = median(baselines);
    console.log(
      JSON.stringify({
        bench: 'gateway',
        case: 'no-clients',
        clients: 0,
        size,
        frames,
        rounds,
        acquisitionFps: round(baselineFps),
        acquisitionFpsRuns: baselines.map((v) => round(v)),
        ratio: 1,
      }),
    );
    for (const [count, runs] of withClients) {
      const latencies = runs.flatMap((r) => r.report.latenciesMs).sort((a, b) => a - b);
      const delivered = runs.map((r) =>
        r.report.latenciesMs.length < 2 ? 0 : r.report.latenciesMs.length / ((r.report.lastMs - r.report.firstMs) / 1000),
      );
      const fps = median(runs.map((r) => r.fps));
      console.log(
        JSON.stringify({
          bench: 'gateway',
          case: `clients-${count}${stalled ? '-stalled' : ''}`,
          clients: count,
          size,
          frames,
          rounds,
          latencyP50Ms: quantile(latencies, 0.5),
          latencyP99Ms: quantile(latencies, 0.99),
          framesDeliveredPerS: round(median(delivered), 1),
          framesDeliveredPerSPerClient: round(median(delivered) / count, 1),
          minFramesAtAClient: Math.min(...runs.flatMap((r) => r.report.framesPerClient)),
          clientProcessCpuPercent: round(median(runs.map((r) => r.report.cpuPercent)), 0),
          acquisitionFps: round(fps),
          acquisitionFpsRuns: runs.map((r) => round(r.fps)),
          baselineFps: round(baselineFps),
          ratio: round(fps / baselineFps, 3),
        }),
      );
    }
  } finally {
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  void runClients(process.argv[3], Number(process.argv[4]), process.argv[5] === 'stalled');
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(
        `gateway bench failed: ${(err as Error).stack ?? String(err)} ${String((err as { cause?: unknown }).cause ?? '')}\n`,
      );
      process.exit(1);
    },
  );
}
