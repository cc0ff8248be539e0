import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readOmeTiff, readOmeZarr } from '../src/acquisition/storage';
import { freePort } from './support/free-port';

const ROOT = resolve(__dirname, '..');

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function scope(args: readonly string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/scope.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      onStderr?.(stderr, child);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('scope acquire (headless, against the simulator in a child process)', () => {
  let directory: string;
  let configFile: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'scope-cli-acq-'));
    configFile = join(directory, 'scope.yaml');
    const port = await freePort();
    await writeFile(
      configFile,
      `simulation:\n  cameraWidthPx: 64\n  cameraHeightPx: 32\nmicroManager:\n  endpoint: tcp://127.0.0.1:${port}\n`,
    );
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('writes the plan to OME-Zarr (NGFF 0.5 shards with --zarr-version 3) and prints where', async () => {
    const plan = join(directory, 'plan.yaml');
    await writeFile(
      plan,
      'time_plan:\n  interval: 0\n  loops: 2\nchannels:\n  - config: DAPI\n    exposure: 3\n  - config: FITC\n    exposure: 3\n',
    );
    const result = await scope([
      'acquire',
      plan,
      '--out',
      join(directory, 'zarr'),
      '--format',
      'ome-zarr',
      '--zarr-version',
      '3',
      '--simulation',
      '--config',
      configFile,
    ]);
    expect(result.stderr).toMatch(/acquire \[#+\] 4\/4/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim()) as { state: string; path: string; framesWritten: number };
    expect(summary).toMatchObject({ state: 'finished', framesWritten: 4 });
    const store = await readOmeZarr(summary.path);
    expect(store.images[0].shape).toEqual([2, 2, 1, 32, 64]);
    expect(store.images[0].zarrFormat).toBe(3);
    expect(store.images[0].channelNames).toEqual(['DAPI', 'FITC']);
  }, 60_000);

  it('Ctrl-C cancels cleanly: exit 130, the data set finalized with every frame taken', async () => {
    const plan = join(directory, 'long.json');
    await writeFile(plan, JSON.stringify({ time_plan: { interval: 0.05, loops: 400 } }));
    let interrupted = false;
    const result = await scope(
      ['acquire', plan, '--out', join(directory, 'tiff'), '--simulation', '--config', configFile],
      (stderr, child) => {
        if (!interrupted && /acquire \[#*\.*\] [1-9]\d*\/400/.test(stderr)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(result.code).toBe(130);
    const summary = JSON.parse(result.stdout.trim()) as { state: string; path: string; framesWritten: number };
    expect(summary.state).toBe('cancelled');
    expect(summary.framesWritten).toBeGreaterThan(0);
    expect(summary.framesWritten).toBeLessThan(400);
    const contents = await readOmeTiff(summary.path);
    expect(contents.metadata.images[0].pixels.sizeT).toBe(summary.framesWritten);
    expect(contents.planes.every((plane) => !plane.blank && plane.listedInXml)).toBe(true);
  }, 60_000);

  it('names the field of an invalid plan and exits 2 without touching the microscope', async () => {
    const plan = join(directory, 'bad.json');
    await writeFile(plan, JSON.stringify({ channels: [{ config: 'DAPI', exposure: -3 }] }));
    const result = await scope(['acquire', plan, '--out', directory, '--simulation', '--config', configFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/channels\[0\]\.exposure: must be > 0/);
  }, 30_000);

  it('names the field of an invalid configuration and exits 78, as the service does', async () => {
    const plan = join(directory, 'ok.json');
    const badConfig = join(directory, 'bad-config.yaml');
    await writeFile(plan, JSON.stringify({ channels: [{ config: 'DAPI', exposure: 5 }] }));
    await writeFile(badConfig, 'simulation:\n  cameraWidthPx: wide\n');
    const result = await scope(['acquire', plan, '--out', directory, '--simulation', '--config', badConfig]);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(badConfig);
    expect(result.stderr).toMatch(/cameraWidthPx/);
  }, 30_000);
});
