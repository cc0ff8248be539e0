/**
 * A compressed long acquisition with faults: the service drives an external simulated Micro-Manager and an
 * emulated pE-4000 on a pseudo-terminal, as it drives real hardware. During the run Micro-Manager is killed
 * (SIGKILL) and restarted twice and the light source's pseudo-terminal is closed and reopened. A run the faults
 * end is resumed with the frames still to take, as an operator would; every data set is read back afterwards.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigFile } from '../../simulators/micro-manager';
import { readOmeTiff, readOmeZarr } from '../../src/acquisition/storage';
import { SimulatorProcess } from '../../src/hardware/simulation/simulator-process';
import { startSimulatorChild, type SimulatorChild } from '../support/simulator-child';
import { startSimulatedApp, type RunningApp } from '../support/start-app';
import { serialBeyond } from '../support/light-record';

export interface SoakOptions {
  readonly frames: number;
  /** The raw format the runs write (default OME-TIFF). */
  readonly format?: 'ome-tiff' | 'ome-zarr';
  /** Longest the whole soak may take. */
  readonly deadlineMs: number;
}

type Fault = 'kill Micro-Manager' | 'close the light source pty';

export interface SoakSegment {
  readonly id: string;
  readonly state: string;
  readonly error?: string;
  readonly framesPlanned: number;
  readonly framesAcquired: number;
  readonly framesWritten: number;
  /** Planes read back from its files that hold a frame (blank fillers not counted). */
  readonly framesReadable: number;
}

export interface SoakReport {
  readonly framesPlanned: number;
  framesAcquired: number;
  framesWritten: number;
  framesReadable: number;
  /** Acquired but not readable afterwards: must be 0. */
  framesLost: number;
  readonly faults: Array<{ fault: Fault; atFrame: number; recoveredInS: number; lightBefore: number; lightAfter: number }>;
  readonly segments: SoakSegment[];
  lightCommandsBeyondLimit: number;
  seconds: number;
}

const LIMIT_PERCENT = 80;
const LIGHT_PERCENT = 30;

interface Channel {
  index: number;
  on: boolean;
  powerPercent: number;
}

interface Status {
  acquisitionId: string;
  state: string;
  error?: string;
  framesPlanned: number;
  framesAcquired: number;
  framesWritten: number;
  datasetFiles: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The demo configuration with a 16 × 16 camera: 100,000 frames stay small on disk. */
function smallCameraConfig(directory: string): string {
  const file = join(directory, 'soak.cfg');
  writeFileSync(
    file,
    `${readFileSync(defaultConfigFile(), 'latin1')}\nProperty,Camera,OnCameraCCDXSize,16\nProperty,Camera,OnCameraCCDYSize,16\n`,
    'latin1',
  );
  return file;
}

class SoakRig {
  private constructor(
    readonly directory: string,
    readonly lightLog: string,
    readonly link: string,
    readonly emulator: SimulatorProcess,
    readonly mm: SimulatorChild,
    readonly app: RunningApp,
  ) {}

  static async start(format: 'ome-tiff' | 'ome-zarr'): Promise<SoakRig> {
    const directory = mkdtempSync(join(tmpdir(), 'scope-soak-'));
    const lightLog = join(directory, 'light.jsonl');
    const link = join(directory, 'ttyLED');
    const emulator = new SimulatorProcess({
      entry: 'simulators/serial-light-source/main.ts',
      args: ['--link', link, '--light-log', lightLog],
      readyLine: /emulated pE-4000 ready/,
    });
    await emulator.start();
    const mm = await startSimulatorChild(['--config', smallCameraConfig(directory), '--light-state-file', `${link}.state.json`]);
    const app = await startSimulatedApp({
      simulation: { enabled: false },
      microManager: { endpoint: mm.endpoint, timeoutMs: 10_000, reconnectMaxDelayMs: 500 },
      hardware: { lightSource: 'serial', serialLightSource: { port: { path: link } } },
      safety: { light: { maxPowerPercent: LIMIT_PERCENT, maxDosePerWindow: { windowS: 60, percentSeconds: 1e9 } } },
      agent: { enabled: false },
      storage: { directory: join(directory, 'data'), format },
      server: { rateLimit: { windowS: 1, maxRequests: 1_000_000 } },
    });
    return new SoakRig(directory, lightLog, link, emulator, mm, app);
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.app.url}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.app.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async untilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const health = await this.get<{ microManager: { ready: boolean }; lightGuard: unknown }>('/api/health');
        if (health.microManager.ready && health.lightGuard) return;
      } catch {
        // the service answers again in a moment
      }
      if (Date.now() > deadline) throw new Error(`the service was not ready again within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** What channel 0 emits now, % (0 when off or unreadable while the device is away). */
  async lightPercent(): Promise<number> {
    try {
      const { channels } = await this.get<{ channels: Channel[] }>('/api/illumination');
      const c = channels.find((ch) => ch.index === 0);
      return c?.on ? c.powerPercent : 0;
    } catch {
      return 0;
    }
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.mm.stop();
    await this.emulator.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** Frames in the files of a finished segment that hold an acquired frame (read back, blank fillers not counted). */
async function readableFrames(files: readonly string[]): Promise<number> {
  let frames = 0;
  for (const file of files) {
    if (!file.endsWith('.zarr')) {
      frames += (await readOmeTiff(file)).planes.filter((p) => !p.blank).length;
      continue;
    }
    for (const image of (await readOmeZarr(file)).images) {
      for (let t = 0; t < image.shape[0]; t++) {
        if (!(await image.hasPlane(t, 0, 0))) continue;
        await image.readPlane(t, 0, 0);
        frames++;
      }
    }
  }
  return frames;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const startedAt = Date.now();
  const rig = await SoakRig.start(options.format ?? 'ome-tiff');
  const report: SoakReport = {
    framesPlanned: options.frames,
    framesAcquired: 0,
    framesWritten: 0,
    framesReadable: 0,
    framesLost: 0,
    faults: [],
    segments: [],
    lightCommandsBeyondLimit: 0,
    seconds: 0,
  };
  const schedule: Array<{ fault: Fault; atFrame: number }> = [
    { fault: 'kill Micro-Manager', atFrame: Math.round(options.frames * 0.25) },
    { fault: 'close the light source pty', atFrame: Math.round(options.frames * 0.5) },
    { fault: 'kill Micro-Manager', atFrame: Math.round(options.frames * 0.75) },
  ];
  try {
    await rig.untilReady(30_000);
    while (report.framesAcquired < options.frames) {
      if (Date.now() - startedAt > options.deadlineMs) throw new Error(`soak past its deadline after ${report.framesAcquired} frames`);
      const remaining = options.frames - report.framesAcquired;
      const plan = {
        metadata: { name: `soak-${report.segments.length}` },
        time_plan: { interval: 0, loops: remaining },
        channels: [{ config: 'DAPI', exposure: 0.1 }],
      };
      // each run's teardown switches the light off: light it again for the next, so that a fault finds it on
      await rig.send('PUT', '/api/illumination/channels/0', { powerPercent: LIGHT_PERCENT, on: true });
      const started = await rig.send<Status & { id: string }>('POST', '/api/acquisitions?sequencing=hardware', plan);
      let status: Status = started;
      while (!['finished', 'failed', 'cancelled'].includes(status.state)) {
        const next = schedule[0];
        if (next && report.framesAcquired + status.framesAcquired >= next.atFrame) {
          schedule.shift();
          await injectFault(rig, next.fault, report.framesAcquired + status.framesAcquired, report);
        }
        await sleep(20);
        status = await rig.get<Status>(`/api/acquisitions/${started.id}`);
      }
      const framesReadable = await readableFrames(status.datasetFiles);
      report.segments.push({
        id: started.id,
        state: status.state,
        error: status.error,
        framesPlanned: status.framesPlanned,
        framesAcquired: status.framesAcquired,
        framesWritten: status.framesWritten,
        framesReadable,
      });
      report.framesAcquired += status.framesAcquired;
      report.framesWritten += status.framesWritten;
      report.framesReadable += framesReadable;
      if (status.state !== 'finished') {
        if (!status.error) throw new Error(`segment ${started.id} ended ${status.state} without saying why`);
        await rig.untilReady(60_000);
      }
      if (report.segments.length > 10) throw new Error('more than 10 segments: the faults do not let the run go on');
    }
    report.framesLost = report.framesAcquired - report.framesReadable;
    report.lightCommandsBeyondLimit = serialBeyond(rig.lightLog, LIMIT_PERCENT).length;
  } finally {
    report.seconds = (Date.now() - startedAt) / 1000;
    await rig.close();
  }
  return report;
}

async function injectFault(rig: SoakRig, fault: Fault, atFrame: number, report: SoakReport): Promise<void> {
  const lightBefore = await rig.lightPercent();
  const faultAt = Date.now();
  if (fault === 'kill Micro-Manager') {
    await rig.mm.kill();
    await sleep(500);
    await rig.mm.restart();
  } else {
    process.kill(rig.emulator.pid!, 'SIGUSR1');
    await sleep(1000);
    process.kill(rig.emulator.pid!, 'SIGUSR1');
  }
  await rig.untilReady(60_000);
  // the serial driver puts the last commanded state back once it has reconnected
  let lightAfter = await rig.lightPercent();
  for (let i = 0; i < 50 && lightAfter === 0 && lightBefore > 0; i++) {
    await sleep(100);
    lightAfter = await rig.lightPercent();
  }
  report.faults.push({ fault, atFrame, recoveredInS: (Date.now() - faultAt) / 1000, lightBefore, lightAfter });
}
