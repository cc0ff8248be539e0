import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { runTrainCareCommand } from '../src/cli/commands/train-care.command';
import type { ProgressFactory } from '../src/cli/text-progress';
import { UsageError } from '../src/cli/usage-error';
import { CalibrationService } from '../src/models/care/calibration/calibration.service';
import { simulatedAppPerSuite } from './support/start-app';

const TINY = [
  '--network',
  'small',
  '--epochs',
  '10',
  '--steps-per-epoch',
  '25',
  '--patch',
  '32',
  '--patches-per-image',
  '48',
  '--learning-rate',
  '0.004',
];

function captured() {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const details: string[] = [];
  const progress: ProgressFactory = () => ({
    update: (_done, detail) => details.push(detail ?? ''),
    finish: (detail) => details.push(`finish: ${detail ?? ''}`),
  });
  return { context: { stdout, progress }, text: () => text, details };
}

describe('scope train care --deploy <service>: trained, evaluated and hot-swapped by the running service', () => {
  // minGainDb 0: the tiny net of a 25-s training beats the tuned filters here by well under the default 1 dB
  const running = simulatedAppPerSuite('scope-care-cli-deploy-', {
    simulation: { cameraWidthPx: 128, cameraHeightPx: 128, serialLightSource: false },
    models: { care: { live: true } },
    careTraining: { training: { minGainDb: 0 } },
  });
  const server = () => running.app.getHttpServer() as Server;

  it('hands a pairs folder to the service, follows its progress, and the live branch runs the new model', async () => {
    const calibration = await request(server())
      .post('/api/care/calibrations')
      .send({ lowPercent: 5, highPercent: 80, exposureMs: 10, doseBudgetPercentSeconds: 40, count: 6 });
    expect(calibration.status).toBe(202);
    const calibrated = await running.app.get(CalibrationService).finished(calibration.body.id);
    expect(calibrated.pairsKept).toBe(6);

    const out = captured();
    const code = await runTrainCareCommand(
      ['--pairs', calibrated.directory, '--deploy', running.url, '--name', 'care-cli', ...TINY],
      out.context,
    );
    const summary = JSON.parse(out.text()) as {
      state: string;
      model: string;
      verdict: string;
      gainDb: number;
      deployed: { modelId: string };
    };
    expect(summary).toMatchObject({ state: 'finished', model: 'care-cli', verdict: 'beats-classical', deployed: { modelId: 'care-cli' } });
    expect(code).toBe(0);
    expect(out.details.some((d) => /restoration epoch \d+\/10 loss/.test(d))).toBe(true);
    expect(out.details.at(-1)).toMatch(/^finish: deployed care-cli into the live CARE branch/);
    const health = (await request(server()).get('/api/health')).body as { ml: { live: Array<{ name: string; model: string }> } };
    expect(health.ml.live.find((b) => b.name === 'care')?.model).toBe('care-cli');
    process.stdout.write(`scope train care --deploy: gain ${summary.gainDb.toFixed(2)} dB over the best classical filter\n`);
  }, 150_000);

  it('names what the service refused, and a service that does not answer, as usage errors', async () => {
    const missing = runTrainCareCommand(['--pairs', '/nonexistent/pairs', '--deploy', running.url, ...TINY], captured().context);
    await expect(missing).rejects.toThrow(UsageError);
    await expect(missing).rejects.toThrow(/the service refused the training \(400\): pairsDir: .*\/nonexistent\/pairs/);
    const closed = runTrainCareCommand(['--pairs', '/tmp', '--deploy', 'http://127.0.0.1:9', ...TINY], captured().context);
    await expect(closed).rejects.toThrow(/the service at http:\/\/127\.0\.0\.1:9 does not answer/);
    await expect(runTrainCareCommand(['--noisy', 'a.tif', '--deploy', running.url], captured().context)).rejects.toThrow(/drop --noisy/);
    expect((await request(server()).get('/api/health')).status).toBe(200);
  }, 30_000);
});
