/**
 * `npm run bench -- serial [--iterations 2000]`: command round trips to the emulated pE-4000 over a socat
 * pseudo-terminal, one JSON line per case. The peer, measured in the same run over the same kind of PTY and the same
 * emulator process (in --raw-echo mode), is a bare write + read of the same bytes with no protocol:
 * ratio = peer p50 / our p50 (1 would mean the driver and the device model cost nothing on top of the line).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SerialPort } from 'serialport';
import { z } from 'zod';
import { scriptOptions } from '../src/cli/run-script';
import { SafeLightSource } from '../src/hardware/safety';
import { CoolLedPe4000 } from '../src/hardware/serial';

const root = resolve(__dirname, '..');
const { iterations } = scriptOptions(
  'bench serial',
  process.argv.slice(2),
  z.object({ iterations: z.coerce.number().int().min(10).default(2000) }),
  'npm run bench -- serial [--iterations 2000]',
).options;
const warmup = Math.min(200, Math.floor(iterations / 10));
const quiet = { log: () => undefined, warn: () => undefined };

function startEmulator(link: string, extra: string[] = []): Promise<ChildProcess> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(root, 'simulators/serial-light-source/main.ts'),
        '--link',
        link,
        '--no-state-file',
        ...extra,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && done(child));
    child.once('exit', (code) => fail(new Error(`emulator exited with ${code}`)));
  });
}

async function stopEmulator(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timeSequential(run: (i: number) => Promise<unknown>): Promise<{ p50Ms: number; p99Ms: number; commandsPerS: number }> {
  for (let i = 0; i < warmup; i++) await run(i);
  const samples: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await run(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const totalS = Number(process.hrtime.bigint() - start) / 1e9;
  samples.sort((a, b) => a - b);
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), commandsPerS: iterations / totalS };
}

/**
 * All calls issued at once, each waiting its turn in the driver's queue. The latency reported is the service time
 * of one command: the gap between consecutive completions.
 */
async function timeBurst(run: (i: number) => Promise<unknown>): Promise<{ p50Ms: number; p99Ms: number; commandsPerS: number }> {
  const start = process.hrtime.bigint();
  const completedAtMs = await Promise.all(
    Array.from({ length: iterations }, async (_, i) => {
      await run(i);
      return Number(process.hrtime.bigint() - start) / 1e6;
    }),
  );
  const totalS = Number(process.hrtime.bigint() - start) / 1e9;
  completedAtMs.sort((a, b) => a - b);
  const samples = completedAtMs.slice(1).map((t, i) => t - completedAtMs[i]);
  samples.sort((a, b) => a - b);
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), commandsPerS: iterations / totalS };
}

async function rawEchoPeer(link: string, payload: string): Promise<{ p50Ms: number; p99Ms: number; commandsPerS: number }> {
  const port = new SerialPort({ path: link, baudRate: 57600, autoOpen: false });
  await new Promise<void>((ok, fail) => port.open((err) => (err ? fail(err) : ok())));
  let pending: { got: number; done: () => void } | undefined;
  port.on('data', (chunk: Buffer) => {
    if (!pending) return;
    pending.got += chunk.length;
    if (pending.got >= payload.length) pending.done();
  });
  const result = await timeSequential(
    () =>
      new Promise<void>((done) => {
        pending = { got: 0, done };
        port.write(payload);
      }),
  );
  await new Promise<void>((r) => port.close(() => r()));
  return result;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-serial-'));
  const emit = (name: string, r: { p50Ms: number; p99Ms: number; commandsPerS: number }, peerP50Ms: number) =>
    process.stdout.write(
      JSON.stringify({
        bench: 'serial',
        case: name,
        p50Ms: +r.p50Ms.toFixed(4),
        p99Ms: +r.p99Ms.toFixed(4),
        commandsPerS: Math.round(r.commandsPerS),
        ratio: +(peerP50Ms / r.p50Ms).toFixed(3),
        peerP50Ms: +peerP50Ms.toFixed(4),
        iterations,
      }) + '\n',
    );
  try {
    const peerLink = join(dir, 'ttyEcho');
    const echo = await startEmulator(peerLink, ['--raw-echo']);
    // Same bytes as the status query and a reply of the status line's length.
    const peer = await rawEchoPeer(peerLink, 'CSS?\r');
    const peerLong = await rawEchoPeer(peerLink, 'CSSASN050BSN050CSN050DSN050\r\n');
    await stopEmulator(echo);
    emit('raw-echo-peer', peer, peer.p50Ms);

    const link = join(dir, 'ttyLED');
    const device = await startEmulator(link);
    const led = await CoolLedPe4000.open({ port: { path: link }, replyTimeoutMs: 2000 }, quiet);
    const safe = new SafeLightSource(led, { maxPowerPercent: 80, maxExposureMs: 1000 }, { logger: quiet });
    await safe.initialize();
    const peerStatus = (peer.p50Ms + peerLong.p50Ms) / 2;
    emit('status-query', await timeSequential(() => led.getChannels()), peerStatus);
    emit('set-intensity', await timeSequential((i) => led.setPowerPercent(i % 4, i % 100)), peerStatus);
    emit('set-intensity-through-envelope', await timeSequential((i) => safe.setPowerPercent(i % 4, (i % 100) + 0.5)), peerStatus);
    emit('queued-burst-set-intensity', await timeBurst((i) => led.setPowerPercent(i % 4, i % 100)), peerStatus);
    safe.dispose();
    await led.close();
    await stopEmulator(device);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench serial failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
