import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOmeZarr } from '../src/acquisition/storage/zarr/read-ome-zarr';
import type { JobStatus } from '../src/jobs/job-status';
import { freePort } from './support/free-port';
import { connected, OPERATOR_TOKEN, socketFor, TOKENS_CONFIG, VIEWER_TOKEN, waitFor } from './support/gateway-clients';
import { startRedis, startWorker, type WatchedProcess } from './support/jobs-cluster';
import { corruptPlane, writeBlinkingMovie, writeNoisyPlanes } from './support/jobs-data';
import { runScope } from './support/scope-cli';
import { startSimulatedApp, type RunningApp } from './support/start-app';

jest.setTimeout(60_000);

const SIMULATION = { simulation: { cameraWidthPx: 64, cameraHeightPx: 48, serialLightSource: false }, server: TOKENS_CONFIG };

async function call(app: RunningApp, method: 'GET' | 'POST', path: string, body?: unknown, token = OPERATOR_TOKEN) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const finished = (app: RunningApp, id: string) =>
  waitFor(
    async () => {
      const { body } = await call(app, 'GET', `/api/jobs/${id}`, undefined, VIEWER_TOKEN);
      const status = body as unknown as JobStatus;
      return ['completed', 'partial', 'failed'].includes(status.state) ? status : undefined;
    },
    40_000,
    `job ${id} to finish`,
  );

async function serviceIn(dir: string, jobs: Record<string, unknown>): Promise<RunningApp> {
  return startSimulatedApp({ ...SIMULATION, storage: { directory: dir, format: 'ome-tiff' }, jobs });
}

describe('jobs through the service on Redis (real redis-server, one real scope worker)', () => {
  let dir: string;
  let redis: WatchedProcess | undefined;
  let worker: WatchedProcess | undefined;
  let app: RunningApp | undefined;
  const running = () => app!;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scope-jobs-service-'));
    await writeBlinkingMovie(join(dir, 'movies', 'movie.ome.tif'), 32, 24);
    await writeNoisyPlanes(join(dir, 'planes-corrupt.ome.tif'), 32, 2);
    await corruptPlane(join(dir, 'planes-corrupt.ome.tif'), 1);
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    redis = await startRedis(port, dir);
    const config = join(dir, 'worker.yaml');
    await writeFile(config, 'jobs:\n  attempts: 2\n');
    [worker, app] = await Promise.all([
      startWorker('service-test-worker', ['--redis', url, '--storage', dir, '--config', config]),
      serviceIn(dir, { redis: { url }, stormFramesPerChunk: 8, attempts: 2 }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await worker?.kill('SIGKILL');
    await redis?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('queues a storm job for an operator (201, its id), refuses a viewer (403); the worker completes it, followed over socket.io', async () => {
    const socket = socketFor(running().url, VIEWER_TOKEN);
    const followed: Array<Record<string, unknown>> = [];
    socket.on('records', (message: { stream: string; records: Array<{ jobs: Array<Record<string, unknown>> }> }, ack?: () => void) => {
      if (message.stream === 'jobs') followed.push(...message.records.flatMap((record) => record.jobs));
      ack?.();
    });
    await connected(socket);
    const request = { kind: 'storm', dataset: 'movies/movie.ome.tif' };
    expect((await call(running(), 'POST', '/api/jobs', request, VIEWER_TOKEN)).status).toBe(403);
    const created = await call(running(), 'POST', '/api/jobs', request);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^storm-/),
      kind: 'storm',
      backend: 'redis',
      input: 'movies/movie.ome.tif',
    });
    const id = created.body.id as string;
    const listed = await call(running(), 'GET', '/api/jobs', undefined, VIEWER_TOKEN);
    expect(listed.status).toBe(200);
    expect((listed.body.jobs as JobStatus[]).map((job) => job.id)).toContain(id);
    const done = await finished(running(), id);
    expect(done).toMatchObject({ state: 'completed', result: { chunks: 3, chunksMerged: 3, planesMerged: 24 } });
    expect(done.chunks.every((chunk) => chunk.workers.includes('service-test-worker'))).toBe(true);
    // the dashboard's stream: the job's status as it changes, per chunk, to its end
    const last = await waitFor(
      () => followed.find((record) => record.id === id && record.state === 'completed'),
      5000,
      'the completed job on the jobs stream',
    );
    socket.close();
    expect(last).toMatchObject({
      chunksDone: 3,
      progress: 1,
      retries: 0,
      chunks: expect.arrayContaining([expect.objectContaining({ workers: ['service-test-worker'] })]),
    });
    expect(followed.findIndex((record) => record.id === id)).toBeLessThan(followed.indexOf(last));
  });

  it("shows the queue's counts on /api/health: a chunk that failed every try counts as failed", async () => {
    const created = await call(running(), 'POST', '/api/jobs', { kind: 'denoise', dataset: join(dir, 'planes-corrupt.ome.tif') });
    expect(created.status).toBe(201);
    const done = await finished(running(), created.body.id as string);
    expect(done).toMatchObject({ state: 'partial', result: { failedChunks: [{ index: 1, error: expect.stringMatching(/plane 1 of/) }] } });
    // the plane that could not be read is NaN in the output and has no quality figure; the other has its own
    expect(done.result?.restoration?.planes.map((q) => q?.plane ?? null)).toEqual([0, null]);
    const health = await call(running(), 'GET', '/api/health', undefined, VIEWER_TOKEN);
    expect(health.body.jobs).toEqual({ enabled: true, backend: 'redis', connected: true, waiting: 0, active: 0, failed: 1 });
  });

  it('answers a bad body or a path outside the storage with 400 naming the field, an unknown id with 404', async () => {
    const bad = async (body: unknown) => {
      const reply = await call(running(), 'POST', '/api/jobs', body);
      expect(reply.status).toBe(400);
      return reply.body.message as string;
    };
    expect(await bad({ kind: 'tomography', dataset: 'movies/movie.ome.tif' })).toMatch(/^kind: /);
    expect(await bad({ kind: 'storm', dataset: 'movies/movie.ome.tif', chunkSize: 6 })).toMatch(/chunkSize: must be a multiple of 4/);
    expect(await bad({ kind: 'storm' })).toMatch(/^dataset: /);
    expect(await bad({ kind: 'storm', dataset: '../../etc/passwd' })).toMatch(
      /^dataset: \.\.\/\.\.\/etc\/passwd is not under the job storage/,
    );
    expect(await bad({ kind: 'storm', dataset: 'nothing-here.ome.tif' })).toMatch(/^dataset: cannot open the data set nothing-here/);
    expect(await bad({ kind: 'denoise', dataset: 'movies/movie.ome.tif', model: '/etc' })).toMatch(/^model: must be a model name/);
    expect(await bad({ kind: 'denoise', dataset: 'movies/movie.ome.tif', model: 'no-such-model' })).toMatch(
      /^model: no model "no-such-model"/,
    );
    const unknown = await call(running(), 'GET', '/api/jobs/storm-never', undefined, VIEWER_TOKEN);
    expect(unknown).toMatchObject({ status: 404, body: { message: expect.stringMatching(/^id: no job storm-never/) } });
  });
});

describe('jobs through the service without Redis (a worker thread of the service)', () => {
  let dir: string;
  let app: RunningApp | undefined;
  const running = () => app!;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scope-jobs-local-'));
    await writeNoisyPlanes(join(dir, 'planes.ome.tif'), 64, 3);
    await writeBlinkingMovie(join(dir, 'movie.ome.tif'), 32, 8);
    app = await serviceIn(dir, {});
  });

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a storm job in-process with the same API, counts on /api/health from its own bookkeeping', async () => {
    const created = await call(running(), 'POST', '/api/jobs', { kind: 'storm', dataset: 'movie.ome.tif', chunkSize: 4 });
    expect(created).toMatchObject({ status: 201, body: { backend: 'in-process', state: 'running' } });
    expect((await call(running(), 'GET', '/api/jobs')).body.jobs).toEqual([expect.objectContaining({ id: created.body.id })]);
    expect(await finished(running(), created.body.id as string)).toMatchObject({ state: 'completed', result: { chunksMerged: 2 } });
    const health = await call(running(), 'GET', '/api/health');
    expect(health.body.jobs).toEqual({ enabled: true, backend: 'in-process', connected: true, waiting: 0, active: 0, failed: 0 });
  });

  it("keeps beside restored planes the raw data set linked and each plane's quality figures, as scope denoise does", async () => {
    const created = await call(running(), 'POST', '/api/jobs', { kind: 'denoise', dataset: 'planes.ome.tif' });
    expect(created.status).toBe(201);
    const done = await finished(running(), created.body.id as string);
    const restoration = done.result!.restoration!;
    expect(restoration).toMatchObject({
      raw: { key: 'planes.ome.tif', url: `file://${dir}/planes.ome.tif` },
      model: { id: 'care-default' },
    });
    expect(restoration.planes.map((q) => q?.plane)).toEqual([0, 1, 2]);
    // the same figures, to the last bit, as the command line's quality records of the same planes
    const reference = join(dir, 'reference');
    await copyFile(join(dir, 'planes.ome.tif'), `${reference}-raw.ome.tif`);
    const single = await runScope(['denoise', `${reference}-raw.ome.tif`, `${reference}.ome.tif`, '--quality', `${reference}.jsonl`]);
    expect(single.code).toBe(0);
    const expected = (await readFile(`${reference}.jsonl`, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(restoration.planes).toEqual(expected);
    expect(
      (await readFile(join(dir, restoration.quality), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(expected);
    const provenance = JSON.parse(await readFile(join(dir, restoration.provenance), 'utf8')) as Record<string, unknown>;
    expect(provenance).toMatchObject({
      kind: 'care-restored',
      raw: { key: 'planes.ome.tif', uuid: restoration.raw.uuid },
      model: { id: 'care-default' },
    });
    const [output] = (await readOmeZarr(join(dir, done.output))).images;
    const scope = output.attributes.scope as { derivedFrom: { uuid: string }; description: string };
    expect(scope.derivedFrom).toMatchObject({ uuid: restoration.raw.uuid });
    const description = scope.description;
    expect(description).toContain(`raw data: file://${dir}/planes.ome.tif`);
    expect(description).toContain('CARE model "care-default"');
    const figures = (expected as Array<{ predictedPsnrDb: number }>).map((q) => q.predictedPsnrDb.toFixed(2)).join(', ');
    expect(description).toMatch(new RegExp(`predicted PSNR per plane \\(dB, (un)?calibrated\\): ${figures}$`));
  });
});

describe('jobs switched off in the config', () => {
  it('answers GET /api/jobs with 404 saying jobs are not configured, and health says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scope-jobs-off-'));
    const app = await serviceIn(dir, { enabled: false });
    try {
      const list = await call(app, 'GET', '/api/jobs');
      expect(list).toMatchObject({ status: 404, body: { message: expect.stringMatching(/jobs are not configured/) } });
      expect((await call(app, 'GET', '/api/health')).body.jobs).toEqual({ enabled: false });
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
