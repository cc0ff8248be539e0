import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { storageStackIo } from '../../io/storage-stack-io';
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { ModelStore } from '../../store/model-store';
import { loadCareModel } from '../care-model';
import { independentPair, ISSUE_FIELD } from '../evaluation/independent-specimen';
import { qualityCalibrationSchema } from '../quality-calibration';
import { runTrainingJob, type RunHooks } from './run-training-job';
import type { TrainingJobSpec } from './training-job';

const SIZE_PX = 128;
/** Two pairs to train on, three held out, at other light levels among them so that the PSNR varies. */
const PEAK_PHOTONS = [12, 20, 8, 30, 15];

async function writePair(dir: string, name: string, sizePx: number, peakPhotons: number, seed: number): Promise<void> {
  const pair = independentPair({ ...ISSUE_FIELD, peakPhotons, seed, sizePx });
  for (const [side, pixels] of [['low', pair.raw], ['high', pair.target]] as const) {
    const path = join(dir, side, name);
    await mkdir(dirname(path), { recursive: true });
    const writer = await storageStackIo.createStack(path, { widthPx: sizePx, heightPx: sizePx, planeCount: 1, sampleType: 'uint16', description: 'test pair' });
    await writer.writePlane(Uint16Array.from(pixels));
    await writer.close();
  }
}

const hooks: RunHooks = { signal: new AbortController().signal, resumeFrom: null, onProgress: () => undefined, onCheckpoint: async () => undefined };

describe('a CARE model trained in the service', () => {
  let dir: string;
  const spec = (): TrainingJobSpec => ({
    id: 'qcal-test',
    name: 'care-qcal',
    mode: 'care',
    data: { kind: 'pairs', dir: join(dir, 'pairs') },
    network: 'tiny',
    epochs: 3,
    stepsPerEpoch: 10,
    batch: 8,
    patchPx: 32,
    patchesPerImage: 16,
    learningRate: 0.004,
    heldOutPairs: 3,
    minGainDb: 1,
    seed: 1,
    deploy: false,
    modelDir: join(dir, 'models', 'care-qcal'),
  });

  beforeAll(async () => {
    await initTfjsBackend();
    dir = await mkdtemp(join(tmpdir(), 'care-qcal-'));
    for (const [i, peakPhotons] of PEAK_PHOTONS.entries()) await writePair(join(dir, 'pairs'), `00${i}.tif`, SIZE_PX, peakPhotons, 40 + i);
    for (const i of [0, 1]) await writePair(join(dir, 'small'), `00${i}.tif`, 64, 15, 60 + i);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('carries a PSNR calibration fitted on its held-out pairs cut into tiles, which the live restorer applies', async () => {
    const outcome = await runTrainingJob(spec(), hooks);
    const report = outcome.evaluation.qualityCalibration!;
    expect(report.calibrated).toBe(true);
    expect(report.tilePx).toBe(32);
    expect(report.tiles + report.skippedTiles).toBe(3 * 16);
    expect(report.tiles).toBeGreaterThanOrEqual(8);
    expect(report.crossValidation).toBe('leave-one-pair-out over 3 pairs');
    expect(report.forms!.map((f) => f.form)).toContain(report.form);
    expect(report.wholeFrames?.frames).toBe(3);
    expect(report.meanAbsErrorAfterDb).toBeLessThan(report.meanAbsErrorBeforeDb!);
    expect(JSON.parse(await readFile(join(outcome.modelDir, 'evaluation.json'), 'utf8')).qualityCalibration).toEqual(report);

    const rdf = parse(await readFile(join(outcome.modelDir, 'rdf.yaml'), 'utf8')) as { config: { scope: { qualityCalibration: unknown } } };
    const stored = qualityCalibrationSchema.parse(rdf.config.scope.qualityCalibration);
    expect(stored.form ?? 'full').toBe(report.form);
    expect(stored.fittedOn).toBe(`${report.tiles} tiles of 32×32 px of the whole-frame restorations of held-out pairs 002.tif, 003.tif, 004.tif of pairs (${report.skippedTiles} tiles without signal skipped)`);
    expect(stored.heldOut).toMatchObject({ pairs: 3, tiles: report.tiles, meanAbsErrorBeforeDb: report.meanAbsErrorBeforeDb, meanAbsErrorAfterDb: report.meanAbsErrorAfterDb });

    // opened as the live branch's restorer worker opens it: by name from the model directories
    const model = await loadCareModel('care-qcal', { store: new ModelStore([join(dir, 'models')]) });
    try {
      const frame = independentPair({ ...ISSUE_FIELD, peakPhotons: 15, seed: 99, sizePx: SIZE_PX });
      const { quality } = await model.restore(frame.raw, SIZE_PX, SIZE_PX);
      expect(quality.psnrCalibrated).toBe(true);
      expect(quality.predictedPsnrDb).not.toBe(quality.uncalibratedPsnrDb);
      expect(quality.predictedPsnrDb).toBeGreaterThanOrEqual(stored.measuredRange[0]);
      expect(quality.predictedPsnrDb).toBeLessThanOrEqual(stored.measuredRange[1]);
    } finally {
      await model.dispose();
    }
  }, 90_000);

  it('carries none when its held-out pair gives too few tiles, or there are no targets, and says why', async () => {
    const small = await runTrainingJob({ ...spec(), data: { kind: 'pairs', dir: join(dir, 'small') }, heldOutPairs: 1, epochs: 1, stepsPerEpoch: 3, modelDir: join(dir, 'models', 'small') }, hooks);
    const report = small.evaluation.qualityCalibration!;
    expect(report).toMatchObject({ calibrated: false, tilePx: 32 });
    expect(report.tiles).toBeLessThan(8);
    expect(report.note).toMatch(/^held-out pairs 001\.tif give \d tiles of 32×32 px with signal, fewer than the 8 a PSNR calibration needs/);
    const rdf = parse(await readFile(join(small.modelDir, 'rdf.yaml'), 'utf8')) as { config: { scope: Record<string, unknown> } };
    expect(rdf.config.scope.qualityCalibration).toBeUndefined();
    const model = await loadCareModel('small', { store: new ModelStore([join(dir, 'models')]) });
    try {
      const frame = independentPair({ ...ISSUE_FIELD, peakPhotons: 15, seed: 99, sizePx: 64 });
      expect((await model.restore(frame.raw, 64, 64)).quality.psnrCalibrated).toBe(false);
    } finally {
      await model.dispose();
    }

    const n2v = await runTrainingJob(
      { ...spec(), mode: 'n2v', data: { kind: 'frames', dir: join(dir, 'small', 'low') }, epochs: 1, stepsPerEpoch: 3, modelDir: join(dir, 'models', 'n2v') },
      hooks,
    );
    expect(n2v.evaluation.qualityCalibration).toEqual({ calibrated: false, note: expect.stringMatching(/^no held-out pairs with targets/), tiles: 0, skippedTiles: 0 });
    expect(JSON.parse(await readFile(join(n2v.modelDir, 'evaluation.json'), 'utf8')).qualityCalibration.calibrated).toBe(false);
  }, 60_000);
});
