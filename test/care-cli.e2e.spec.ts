import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalibrationReport } from '../src/models/care/calibration/calibration-report';
import { freePort } from './support/free-port';
import { runScope } from './support/scope-cli';

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

  it('refuses a high level beyond the envelope with exit 2 naming the limit, before starting anything', async () => {
    const result = await runScope(
      [
        'calibrate',
        'care',
        '--out',
        directory,
        '--low',
        '2',
        '--high',
        '95',
        '--exposure-ms',
        '10',
        '--dose-budget',
        '10',
        '--simulation',
        '--config',
        config,
      ],
      120_000,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/highPercent: 95 % is above the light envelope's maximum of 80 %/);
    expect(existsSync(join(directory, 'care-calibrations'))).toBe(false);
  }, 150_000);

  it('acquires 4 pairs, which `scope train care --pairs` trains on as they are', async () => {
    const calibrated = await runScope(
      [
        'calibrate',
        'care',
        '--out',
        directory,
        '--low',
        '2',
        '--high',
        '80',
        '--exposure-ms',
        '10',
        '--dose-budget',
        '10',
        '--simulation',
        '--config',
        config,
      ],
      120_000,
    );
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
});
