import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalibrationReport } from '../src/models/care/calibration/calibration-report';
import { freePort } from './support/free-port';
import { waitFor } from './support/gateway-clients';
import { PROJECT_ROOT, runScope } from './support/scope-cli';

async function fingerprints(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const sub of ['low', 'high'])
    for (const name of await readdir(join(dir, sub)))
      out[`${sub}/${name}`] = createHash('sha256')
        .update(await readFile(join(dir, sub, name)))
        .digest('hex');
  return out;
}

describe('scope calibrate care, then scope train care on its pairs (the real bin/scope.js)', () => {
  let directory: string;
  let config: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'scope-care-cli-'));
    config = join(directory, 'config.yaml');
    // its own bridge port, so that the simulator never meets another test's
    const port = await freePort();
    await writeFile(
      config,
      `microManager:\n  endpoint: tcp://127.0.0.1:${port}\nsimulation:\n  cameraWidthPx: 64\n  cameraHeightPx: 64\n  serialLightSource: false\n`,
    );
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  const calibrateArgs = (highPercent: number) => [
    ...['calibrate', 'care', '--out', directory, '--low', '2', '--high', String(highPercent), '--exposure-ms', '10'],
    ...['--dose-budget', '10', '--simulation', '--config', config],
  ];

  it('refuses a high level beyond the envelope with exit 2 naming the limit, before starting anything', async () => {
    const result = await runScope(calibrateArgs(95), 120_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/highPercent: 95 % is above the light envelope's maximum of 80 %/);
    expect(existsSync(join(directory, 'care-calibrations'))).toBe(false);
  }, 150_000);

  it('acquires 4 pairs, which `scope train care --pairs` trains on as they are', async () => {
    const calibrated = await runScope(calibrateArgs(80), 120_000);
    expect(calibrated.stderr).toBe('');
    expect(calibrated.code).toBe(0);
    const summary = JSON.parse(calibrated.stdout) as Pick<CalibrationReport, 'directory' | 'pairsKept' | 'state'>;
    expect(summary).toMatchObject({ state: 'finished', pairsKept: 4 });
    const report = JSON.parse(await readFile(join(summary.directory, 'calibration.json'), 'utf8')) as CalibrationReport;
    expect(report.pairs.map((p) => p.files?.low)).toEqual(['low/000.tif', 'low/001.tif', 'low/002.tif', 'low/003.tif']);

    const model = join(directory, 'model');
    const trained = await runScope(
      [
        'train',
        'care',
        '--pairs',
        summary.directory,
        '--out',
        model,
        '--epochs',
        '2',
        '--steps-per-epoch',
        '4',
        '--batch',
        '4',
        '--patch',
        '32',
        '--patches-per-image',
        '8',
      ],
      150_000,
    );
    expect(trained.code).toBe(0);
    expect(JSON.parse(trained.stdout.trim().split('\n').at(-1)!)).toMatchObject({ model, mode: 'supervised' });
    expect(existsSync(join(model, 'rdf.yaml'))).toBe(true);
  }, 300_000);

  it('goes on from its last checkpoint when `scope train care --checkpoint` is killed with SIGKILL and run again', async () => {
    const [calibration] = (await readdir(join(directory, 'care-calibrations'))).sort();
    const pairs = join(directory, 'care-calibrations', calibration);
    const checkpoint = join(directory, 'checkpoint');
    const model = join(directory, 'model-resumed');
    const args = [
      'train',
      'care',
      '--pairs',
      pairs,
      '--out',
      model,
      '--checkpoint',
      checkpoint,
      '--epochs',
      '8',
      '--steps-per-epoch',
      '6',
      '--batch',
      '4',
      '--patch',
      '32',
      '--patches-per-image',
      '8',
    ];
    const before = await fingerprints(pairs);
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'scope.js'), ...args], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const epochOf = async () => {
      const path = join(checkpoint, 'checkpoint.json');
      if (!existsSync(path)) return undefined;
      return (JSON.parse(await readFile(path, 'utf8')) as { loop: { epoch: number } }).loop.epoch;
    };
    await waitFor(async () => ((await epochOf()) ?? 0) >= 2 || undefined, 120_000, 'the second checkpoint');
    process.kill(child.pid!, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const killedAt = (await epochOf())!;
    expect(killedAt).toBeLessThan(8);
    expect(existsSync(join(model, 'rdf.yaml'))).toBe(false);

    const again = await runScope(args, 150_000);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as { resumedFrom: { phase: string; epoch: number } };
    expect(summary.resumedFrom).toEqual({ phase: 'restoration', epoch: killedAt });
    expect(existsSync(join(model, 'rdf.yaml'))).toBe(true);
    expect(await fingerprints(pairs)).toEqual(before);
  }, 300_000);
});
