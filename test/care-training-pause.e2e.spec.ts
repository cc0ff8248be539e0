import type { Server } from 'node:http';
import request from 'supertest';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { CalibrationService } from '../src/models/care/calibration/calibration.service';
import type { TrainingJobStatus } from '../src/models/care/jobs/training-job';
import { waitFor } from './support/gateway-clients';
import { simulatedAppPerSuite } from './support/start-app';

const TRAINING = { network: 'tiny', epochs: 50, stepsPerEpoch: 20, batch: 8, patchPx: 32, patchesPerImage: 32, deploy: false };
/** 16 frames 0.25 s apart: about 4 s of acquisition. */
const PLAN = { time_plan: { interval: 0.25, loops: 16 }, channels: [{ config: 'DAPI', exposure: 10 }] };

describe('careTraining.background.duringAcquisition: pause — training waits while an acquisition runs', () => {
  const running = simulatedAppPerSuite('scope-care-pause-', {
    simulation: { cameraWidthPx: 64, cameraHeightPx: 64, serialLightSource: false },
    careTraining: { background: { duringAcquisition: 'pause' } },
  });
  const server = () => running.app.getHttpServer() as Server;
  const job = async (id: string) => (await request(server()).get(`/api/care/trainings/${id}`)).body as TrainingJobStatus;
  const steps = async (id: string) => (await job(id)).progress?.stepsDone ?? 0;

  it('stops stepping within one step of the start, says why, and goes on when the acquisition ends', async () => {
    const calibration = await request(server())
      .post('/api/care/calibrations')
      .send({ lowPercent: 5, highPercent: 80, exposureMs: 10, doseBudgetPercentSeconds: 10, count: 4 });
    const calibrated = await running.app.get(CalibrationService).finished(calibration.body.id);
    const started = await request(server())
      .post('/api/care/trainings')
      .send({ calibrationId: calibrated.id, ...TRAINING });
    expect(started.status).toBe(202);
    const id = (started.body as TrainingJobStatus).id;
    await waitFor(async () => ((await steps(id)) >= 5 ? true : undefined), 90_000, 'five training steps');

    const acquisition = await request(server()).post('/api/acquisitions').send(PLAN);
    expect(acquisition.status).toBe(201);
    const paused = await waitFor(async () => ((await job(id)).paused?.since ? job(id) : undefined), 5_000, 'the job marked paused');
    expect(paused.paused?.reason).toBe('an acquisition is running');
    // the step running when the acquisition started may finish, and its progress be polled late: then nothing
    await new Promise((resolve) => setTimeout(resolve, 800));
    const atPause = await steps(id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await steps(id)).toBe(atPause);

    const acquisitions = running.app.get(AcquisitionService);
    const status = await acquisitions.finished(acquisition.body.id);
    expect(status.state).toBe('finished');
    const resumed = await waitFor(async () => ((await job(id)).paused?.since === null ? job(id) : undefined), 5_000, 'the pause lifted');
    expect(resumed.paused?.totalS).toBeGreaterThan(2);
    await waitFor(async () => ((await steps(id)) > atPause + 2 ? true : undefined), 30_000, 'training stepping again');
    expect((await request(server()).delete(`/api/care/trainings/${id}`)).status).toBe(200);
  }, 180_000);
});
