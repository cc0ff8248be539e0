import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import request from 'supertest';
import { HardwareService } from '../src/hardware/hardware.service';
import { CalibrationService } from '../src/models/care/calibration/calibration.service';
import type { TrainingJobStatus } from '../src/models/care/jobs/training-job';
import { TrainingJobsService } from '../src/models/care/jobs/training-jobs.service';
import { waitFor } from './support/gateway-clients';
import { startSimulatedApp, type RunningApp } from './support/start-app';

const TRAINING = { network: 'tiny', epochs: 6, stepsPerEpoch: 15, batch: 8, patchPx: 32, patchesPerImage: 32 };

async function fingerprints(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else
        out[relative(dir, path)] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
    }
  };
  await walk(dir);
  return out;
}

describe('a training whose worker is killed goes on from its checkpoint', () => {
  let directory: string;
  let running: RunningApp | undefined;
  const start = async () => {
    running = await startSimulatedApp({
      storage: { directory, format: 'ome-tiff' },
      simulation: { cameraWidthPx: 64, cameraHeightPx: 64, serialLightSource: false },
    });
    await running.app.get(HardwareService).whenReady(30_000);
    return running;
  };
  const server = () => running!.app.getHttpServer() as Server;
  const job = async (id: string) => (await request(server()).get(`/api/care/trainings/${id}`)).body as TrainingJobStatus;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'scope-care-resume-'));
  });
  afterAll(async () => {
    await running?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('is terminated mid-epoch with the service, resumes after the restart from the last epoch saved, the calibration untouched', async () => {
    await start();
    const calibration = await request(server())
      .post('/api/care/calibrations')
      .send({ lowPercent: 2, highPercent: 80, exposureMs: 10, doseBudgetPercentSeconds: 10, count: 4 });
    const calibrated = await running!.app.get(CalibrationService).finished(calibration.body.id);
    expect(calibrated.pairsKept).toBe(4);
    const before = await fingerprints(calibrated.directory);

    const started = await request(server())
      .post('/api/care/trainings')
      .send({ calibrationId: calibrated.id, deploy: true, ...TRAINING });
    expect(started.status).toBe(202);
    const id = (started.body as TrainingJobStatus).id;
    await waitFor(async () => ((await job(id)).history.length >= 2 ? true : undefined), 90_000, 'two checkpointed epochs');
    // the worker dies with the service, mid-training: nothing marks the job as stopped
    await running!.close();
    running = undefined;
    const left = JSON.parse(await readFile(join(directory, 'care-trainings', id, 'job.json'), 'utf8')) as TrainingJobStatus;
    expect(left.state).toBe('running');
    const checkpoint = JSON.parse(await readFile(join(directory, 'care-trainings', id, 'checkpoint.json'), 'utf8')) as {
      phase: string;
      loop: { epoch: number };
    };
    expect(checkpoint.phase).toBe('restoration');
    expect(checkpoint.loop.epoch).toBeGreaterThanOrEqual(2);
    expect(checkpoint.loop.epoch).toBeLessThan(TRAINING.epochs);

    await start();
    const done = await running!.app.get(TrainingJobsService).finished(id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('finished');
    expect(done.resumes).toHaveLength(1);
    expect(done.resumes[0]).toMatchObject({ phase: 'restoration', epoch: checkpoint.loop.epoch });
    expect(done.history.filter((h) => h.phase === 'restoration').map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(done.outcome!.evaluation.table.length).toBeGreaterThanOrEqual(4);
    // deploy: true deploys only a model that beats the best classical filter by careTraining.training.minGainDb
    if (done.outcome!.evaluation.verdict === 'beats-classical')
      expect(done.deployed).toEqual({ modelId: done.outcome!.modelId, at: expect.any(String) });
    else expect(done.deployed).toEqual({ error: expect.stringMatching(/^not deployed: does not beat the best classical method by 1 dB/) });
    expect(await fingerprints(calibrated.directory)).toEqual(before);
  }, 240_000);

  it('cancels a running training with DELETE, and refuses to cancel it twice', async () => {
    const [calibration] = await readdir(join(directory, 'care-calibrations'));
    const pairsDir = join(directory, 'care-calibrations', calibration);
    const started = await request(server())
      .post('/api/care/trainings')
      .send({ pairsDir, name: 'care-cancelled', ...TRAINING, epochs: 200 });
    expect(started.status).toBe(202);
    const id = (started.body as TrainingJobStatus).id;
    await waitFor(async () => (await job(id)).progress ?? undefined, 60_000, 'training progress');
    expect((await request(server()).delete(`/api/care/trainings/${id}`)).status).toBe(200);
    const done = await running!.app.get(TrainingJobsService).finished(id);
    expect(done.state).toBe('cancelled');
    expect(done.error).toMatch(/^training cancelled after \d+ steps/);
    const again = await request(server()).delete(`/api/care/trainings/${id}`);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`training ${id} is cancelled: nothing to cancel`);
  }, 120_000);

  it('trains Noise2Void on noisy frames alone (mode n2v), labelled not evaluated and so not deployed automatically', async () => {
    const [calibration] = await readdir(join(directory, 'care-calibrations'));
    const noisyDir = join(directory, 'care-calibrations', calibration, 'low');
    const started = await request(server())
      .post('/api/care/trainings')
      .send({ noisyDir, mode: 'n2v', name: 'n2v-e2e', deploy: true, ...TRAINING, epochs: 2 });
    expect(started.status).toBe(202);
    const done = await running!.app.get(TrainingJobsService).finished((started.body as TrainingJobStatus).id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('finished');
    expect(done.spec.data).toEqual({ kind: 'frames', dir: noisyDir });
    expect(done.outcome!.evaluation.verdict).toBe('not-evaluated');
    expect(done.deployed).toEqual({ error: expect.stringMatching(/^not deployed: no held-out pairs with targets/) });
    const rdf = await readFile(join(done.outcome!.modelDir, 'rdf.yaml'), 'utf8');
    expect(rdf).toMatch(/mode: self-supervised/);
  }, 120_000);

  it('restarts a worker terminated abruptly while the service runs, from its checkpoint, and finishes', async () => {
    const [calibration] = await readdir(join(directory, 'care-calibrations'));
    const pairsDir = join(directory, 'care-calibrations', calibration);
    const started = await request(server())
      .post('/api/care/trainings')
      .send({ pairsDir, name: 'care-worker-killed', ...TRAINING });
    const id = (started.body as TrainingJobStatus).id;
    await waitFor(async () => ((await job(id)).history.length >= 2 ? true : undefined), 90_000, 'two checkpointed epochs');
    // as an out-of-memory kill or a crash would: the thread ends at once, mid-step
    const service = running!.app.get(TrainingJobsService) as unknown as { hosts: Map<string, { terminate(): Promise<void> }> };
    await service.hosts.get(id)!.terminate();
    const done = await running!.app.get(TrainingJobsService).finished(id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('finished');
    expect(done.resumes).toHaveLength(1);
    expect(done.resumes[0].epoch).toBeGreaterThanOrEqual(2);
    expect(done.history.filter((h) => h.phase === 'restoration').map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 120_000);
});
