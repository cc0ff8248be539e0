import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { CalibrationService } from '../src/models/care/calibration/calibration.service';
import type { TrainingJobStatus } from '../src/models/care/jobs/training-job';
import { TrainingJobsService } from '../src/models/care/jobs/training-jobs.service';
import { LiveModelsService } from '../src/models/live/live-models.service';
import { connected, socketFor, waitFor } from './support/gateway-clients';
import { simulatedAppPerSuite } from './support/start-app';

/** The e2e's small net: a few epochs of small patches, well under two minutes on two cores. */
const TINY_TRAINING = { network: 'tiny', epochs: 10, stepsPerEpoch: 25, batch: 16, patchPx: 32, patchesPerImage: 48, learningRate: 0.004 };

describe('calibrate → train → evaluate → deploy → live CARE from the new model (simulation)', () => {
  const running = simulatedAppPerSuite('scope-care-e2e-', {
    simulation: { cameraWidthPx: 64, cameraHeightPx: 64, serialLightSource: false },
    models: { care: { live: true } },
  });
  const server = () => running.app.getHttpServer() as Server;

  it('trains a model on its own calibration in a worker, evaluates it against tuned filters, hot-swaps it into the live branch', async () => {
    const socket = socketFor(running.url);
    const trainingRecords: Array<{ id: string; state: string; progress: { epoch: number } | null }> = [];
    const denoised: Array<{ modelId: string | null; acquisitionId: string }> = [];
    socket.on('records', (message: { stream: string; records: typeof trainingRecords }, ack?: () => void) => {
      if (message.stream === 'care-training') trainingRecords.push(...message.records);
      ack?.();
    });
    socket.on('frame', (message: { stream: string; modelId: string | null; acquisitionId: string }, ack?: () => void) => {
      if (message.stream === 'denoised') denoised.push(message);
      ack?.();
    });
    try {
      await connected(socket);
      const t0 = Date.now();
      const calibration = await request(server())
        .post('/api/care/calibrations')
        .send({ lowPercent: 5, highPercent: 80, exposureMs: 10, doseBudgetPercentSeconds: 20, count: 4 });
      expect(calibration.status).toBe(202);
      const calibrated = await running.app.get(CalibrationService).finished(calibration.body.id);
      expect(calibrated.pairsKept).toBe(4);
      const drift = calibrated.pairs.map((p) => p.attempts[0].driftPx.magnitude.toFixed(2)).join(', ');
      const t1 = Date.now();

      const started = await request(server())
        .post('/api/care/trainings')
        .send({ calibrationId: calibrated.id, name: 'care-e2e', ...TINY_TRAINING });
      expect(started.status).toBe(202);
      const id = (started.body as TrainingJobStatus).id;
      await waitFor(
        async () => ((await request(server()).get(`/api/care/trainings/${id}`)).body as TrainingJobStatus).progress ?? undefined,
        60_000,
        'training progress',
      );
      const job = await running.app.get(TrainingJobsService).finished(id);
      const t2 = Date.now();
      expect(job.error).toBeUndefined();
      expect(job.state).toBe('finished');
      const polled = (await request(server()).get(`/api/care/trainings/${id}`)).body as TrainingJobStatus;
      expect(polled.progress).toMatchObject({
        epoch: expect.any(Number),
        step: expect.any(Number),
        loss: expect.any(Number),
        validationLoss: expect.any(Number),
      });
      expect(polled.history.filter((h) => h.phase === 'restoration').map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(trainingRecords.some((r) => r.id === id && r.state === 'running' && r.progress !== null)).toBe(true);

      // evaluated on the held-out pair against the tuned classical filters, the table stored in the package
      const outcome = polled.outcome!;
      expect(outcome.evaluation.heldOut).toEqual(['003.tif']);
      expect(outcome.evaluation.table.map((row) => row.method)).toEqual(['raw', 'gaussian', 'median', 'nlm', 'care']);
      expect(outcome.evaluation.verdict).toBe(outcome.evaluation.gainDb! >= 1 ? 'beats-classical' : 'below-classical');
      const stored = JSON.parse(await readFile(join(outcome.modelDir, 'evaluation.json'), 'utf8'));
      expect(stored).toEqual(outcome.evaluation);
      const rdf = parse(await readFile(join(outcome.modelDir, 'rdf.yaml'), 'utf8')) as {
        config: { scope: { trainingFingerprint: { measured: { peakPhotons: number[]; normalizedNoise: number[] } } } };
      };
      // the package says what light level it was trained at, so the live check can flag other inputs
      const measured = rdf.config.scope.trainingFingerprint.measured;
      expect(measured.normalizedNoise[0]).toBeGreaterThan(0);
      expect(measured.normalizedNoise[1]).toBeGreaterThanOrEqual(measured.normalizedNoise[0]);

      // deployed while an acquisition runs: its next frames come from the new model, none is lost
      const acquisitions = running.app.get(AcquisitionService);
      const run = await acquisitions.start({ time_plan: { interval: 0.25, loops: 16 }, channels: [{ config: 'DAPI', exposure: 10 }] });
      const before = await waitFor(
        () => denoised.find((f) => f.acquisitionId === run.acquisitionId),
        20_000,
        'a denoised frame before the swap',
      );
      expect(before.modelId).toBe('care-default');
      const t3 = Date.now();
      const deploy = await request(server()).post(`/api/care/models/${outcome.modelId}/deploy`);
      expect(deploy.status).toBe(200);
      expect((deploy.body as TrainingJobStatus).deployed).toEqual({ modelId: 'care-e2e', at: expect.any(String) });
      const t4 = Date.now();
      expect(acquisitions.status(run.acquisitionId).state).toBe('running');
      const health = (await request(server()).get('/api/health')).body as { ml: { live: Array<{ name: string; model: string }> } };
      expect(health.ml.live.find((b) => b.name === 'care')?.model).toBe('care-e2e');
      const after = await waitFor(
        () => denoised.find((f) => f.acquisitionId === run.acquisitionId && f.modelId === 'care-e2e'),
        20_000,
        'a denoised frame from the new model',
      );
      expect(after.modelId).toBe('care-e2e');
      const finished = await acquisitions.finished(run.acquisitionId);
      expect(finished).toMatchObject({ state: 'finished', framesWritten: 16 });
      const live = await running.app.get(LiveModelsService).care.settled(run.acquisitionId);
      expect(live?.error).toBeUndefined();
      const index = JSON.parse(await readFile(live!.path.replace(/\.ome\.tif$/, '.json'), 'utf8')) as {
        planes: Array<{ quality: { modelId: string } }>;
      };
      const models = index.planes.map((p) => p.quality.modelId);
      expect(models[0]).toBe('care-default');
      expect(models.at(-1)).toBe('care-e2e');
      // once swapped, never back
      expect(models.slice(models.indexOf('care-e2e')).every((m) => m === 'care-e2e')).toBe(true);

      const table = outcome.evaluation.table.map(
        (r) => `${r.method} ${r.psnrDb.toFixed(2)} dB / SSIM ${r.ssim.toFixed(3)}${r.setting ? ` (${r.setting})` : ''}`,
      );
      process.stdout.write(
        `calibration ${((t1 - t0) / 1000).toFixed(1)} s (drift ${drift} px); training job ${((t2 - t1) / 1000).toFixed(1)} s (loop ${outcome.trainingSeconds.toFixed(1)} s); ` +
          `deploy (swap during a run) ${((t4 - t3) / 1000).toFixed(1)} s\n${table.join('\n')}\n${outcome.evaluation.note}\n`,
      );
    } finally {
      socket.close();
    }
  }, 120_000);
});
