import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPython } from '../src/acquisition/storage/test-support/debian-python';
import type { JobResult } from '../src/jobs/job-spec';
import type { JobStatus } from '../src/jobs/job-status';
import { freePort } from './support/free-port';
import { startRedis, startWorker, type WatchedProcess } from './support/jobs-cluster';
import { corruptPlane, jobOutputPlanes, writeBlinkingMovie, writeNoisyPlanes } from './support/jobs-data';
import { runScope } from './support/scope-cli';

// ONNX Runtime does not load inside jest's VM: every job runs in real `scope` processes, against a real redis-server.
jest.setTimeout(120_000);

let dir: string;
let config: string;
let redisUrl: string;
let redisPort: number;
let redis: WatchedProcess | undefined;
const workers: WatchedProcess[] = [];

const planes = jobOutputPlanes;

const sameBits = (a: Float32Array, b: Float32Array) => Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer)) === 0;

async function submit(args: readonly string[], withRedis = true): Promise<{ code: number; result: JobResult; stderr: string }> {
  const run = await runScope(
    ['jobs', 'submit', ...args, '--storage', dir, '--config', config, ...(withRedis ? ['--redis', redisUrl, '--wait'] : [])],
    90_000,
  );
  const lines = run.stdout.trim().split('\n');
  if (lines.length !== 2) throw new Error(`scope jobs submit ${args.join(' ')} gave (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  return { code: run.code, result: JSON.parse(lines[1]) as JobResult, stderr: run.stderr };
}

async function status(id: string): Promise<JobStatus> {
  const run = await runScope(['jobs', 'status', id, '--json', '--redis', redisUrl, '--storage', dir, '--config', config]);
  if (run.code !== 0) throw new Error(`scope jobs status ${id}: exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as JobStatus;
}

const workerArgs = () => ['--redis', redisUrl, '--storage', dir, '--config', config];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scope-jobs-'));
  config = join(dir, 'jobs.yaml');
  // 5 chunks of 8 frames; a dead worker's chunk is handed on about 1 s after its last lock renewal
  await writeFile(config, 'jobs:\n  stormFramesPerChunk: 8\n  attempts: 2\n  lockDurationMs: 1000\n  stalledIntervalMs: 500\n');
  await writeBlinkingMovie(join(dir, 'movie.ome.tif'), 64, 40);
  await writeNoisyPlanes(join(dir, 'planes.ome.tif'), 128, 8);
  await copyFile(join(dir, 'planes.ome.tif'), join(dir, 'planes-corrupt.ome.tif'));
  await corruptPlane(join(dir, 'planes-corrupt.ome.tif'), 3);
  redisPort = await freePort();
  redisUrl = `redis://127.0.0.1:${redisPort}`;
  redis = await startRedis(redisPort, dir);
});

afterAll(async () => {
  for (const worker of workers) await worker.kill('SIGKILL');
  await redis?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('offline jobs on BullMQ workers (real redis-server, real scope worker processes)', () => {
  let stormReference: Float32Array;
  let denoiseReference: Float32Array[];

  it('runs in-process without Redis: Deep-STORM and its SQUIRREL figures as scope storm to float32 summation order, CARE bit for bit', async () => {
    const storm = await submit(['storm', join(dir, 'movie.ome.tif'), '--id', 'local-storm'], false);
    expect(storm.result).toMatchObject({ state: 'completed', chunks: 5, chunksMerged: 5, planesMerged: 40 });
    expect(storm.result.output).toMatch(/^jobs\/local-storm\/movie\.storm\.ome\.zarr$/);
    [stormReference] = await planes(join(dir, storm.result.output!));
    const quality = join(dir, 'single-storm.quality.json');
    const single = await runScope(['storm', join(dir, 'movie.ome.tif'), join(dir, 'single-storm.ome.tif'), '--quality', quality]);
    expect(single.code).toBe(0);
    // SQUIRREL over the whole movie, from the chunks' sums, against the mean of all 40 frames: the figures of one run
    const figures = JSON.parse(await readFile(quality, 'utf8')) as Record<string, number>;
    const merged = storm.result.superResolution!;
    expect(merged.frames).toBe(40);
    for (const figure of ['rsp', 'rseRelative', 'alpha'] as const) expect(merged[figure]).toBeCloseTo(figures[figure], 4);
    const [errorMap] = await planes(join(dir, merged.errorMap));
    expect(errorMap).toHaveLength(64 * 64);
    expect(errorMap.some((v) => v > 0)).toBe(true);
    const [whole] = await planes(join(dir, 'single-storm.ome.tif'));
    const peak = whole.reduce((m, v) => Math.max(m, v), 0);
    expect(peak).toBeGreaterThan(0.01);
    // the same per-batch densities, summed per chunk and then across chunks instead of in one running sum
    const worst = whole.reduce((m, v, i) => Math.max(m, Math.abs(v - stormReference[i])), 0);
    expect(worst).toBeLessThanOrEqual(1e-6 * peak);

    const denoise = await submit(['denoise', join(dir, 'planes.ome.tif'), '--id', 'local-denoise'], false);
    expect(denoise.result).toMatchObject({ state: 'completed', chunks: 8, planesMerged: 8 });
    denoiseReference = await planes(join(dir, denoise.result.output!));
    expect((await runScope(['denoise', join(dir, 'planes.ome.tif'), join(dir, 'single-care.ome.tif')])).code).toBe(0);
    const singleCare = await planes(join(dir, 'single-care.ome.tif'));
    expect(denoiseReference.every((plane, p) => sameBits(plane, singleCare[p]))).toBe(true);
  });

  it('hands the chunk of a worker killed with kill -9 to another worker; the output is bit-identical to in-process', async () => {
    workers.push(...(await Promise.all([startWorker('victim', workerArgs()), startWorker('survivor', workerArgs())])));
    const [victim] = workers;
    const submitted = submit(['storm', join(dir, 'movie.ome.tif'), '--id', 'killed-storm']);
    const started = await victim.waitForLine(/job killed-storm\.chunk-\d+ started/);
    victim.child.kill('SIGKILL');
    const chunk = Number(/chunk-(\d+)/.exec(started)![1]);
    const { code, result } = await submitted;
    expect(code).toBe(0);
    expect(result).toMatchObject({ state: 'completed', chunksMerged: 5, failedChunks: [] });
    const [merged] = await planes(join(dir, result.output!));
    expect(sameBits(merged, stormReference)).toBe(true);
    const killed = (await status('killed-storm')).chunks[chunk];
    expect(killed).toMatchObject({ state: 'completed', failedAttempts: 0 });
    expect(killed.stalls).toBeGreaterThanOrEqual(1);
    expect(killed.workers[0]).toBe('victim');
    expect(killed.workers.at(-1)).toBe('survivor');
  });

  it('goes on after Redis is killed and restarted mid-job: the workers reconnect and the job completes', async () => {
    workers.push(await startWorker('second', workerArgs()));
    const survivor = workers[1];
    const submitted = submit(['storm', join(dir, 'movie.ome.tif'), '--id', 'restart-storm']);
    await survivor.waitForLine(/job restart-storm\.chunk-\d+ started/);
    await redis!.kill('SIGKILL');
    redis = await startRedis(redisPort, dir);
    const { code, result } = await submitted;
    expect(code).toBe(0);
    expect(result).toMatchObject({ state: 'completed', chunksMerged: 5 });
    const [merged] = await planes(join(dir, result.output!));
    expect(sameBits(merged, stormReference)).toBe(true);
    const text = await runScope(['jobs', 'status', 'restart-storm', '--redis', redisUrl, '--storage', dir, '--config', config]);
    expect(text.stdout).toMatch(/^job restart-storm \(storm, redis\): completed, 5\/5 chunks done/);
  });

  it('fails only the chunk of an unreadable plane, naming it; the job is partial and every other plane is as in-process', async () => {
    const { code, result, stderr } = await submit(['denoise', join(dir, 'planes-corrupt.ome.tif'), '--id', 'corrupt-denoise']);
    expect(code).toBe(1);
    expect(result).toMatchObject({ state: 'partial', chunks: 8, chunksMerged: 7, planesMerged: 7 });
    expect(result.failedChunks).toEqual([
      { index: 3, first: 3, count: 1, error: expect.stringMatching(/plane 3 of planes-corrupt\.ome\.tif cannot be read/) },
    ]);
    expect(stderr).toMatch(/chunk 3 failed: plane 3 of planes-corrupt\.ome\.tif cannot be read/);
    const merged = await planes(join(dir, result.output!));
    expect(merged).toHaveLength(8);
    for (const p of [0, 1, 2, 4, 5, 6, 7]) expect(sameBits(merged[p], denoiseReference[p])).toBe(true);
    expect(merged[3].every(Number.isNaN)).toBe(true);
    // each plane is its own object in the derived OME-Zarr, the same bytes whichever process computed it
    const plane0 = (job: string) =>
      readFile(join(dir, 'jobs', job, `${job === 'local-denoise' ? 'planes' : 'planes-corrupt'}.care.ome.zarr/0/0/0/0/0/0`));
    expect(Buffer.compare(await plane0('local-denoise'), await plane0('corrupt-denoise'))).toBe(0);
    const read = runPython<{ shape: number[]; nan: boolean[]; first: number }>(
      `import sys, json, zarr, numpy as np
a = zarr.open(sys.argv[1], mode='r')['0']
print(json.dumps({'shape': list(a.shape), 'nan': [bool(np.isnan(a[p, 0, 0]).all()) for p in range(a.shape[0])], 'first': float(a[0, 0, 0, 5, 7])}))`,
      [join(dir, result.output!)],
    );
    expect(read).toEqual({
      shape: [8, 1, 1, 128, 128],
      nan: [false, false, false, true, false, false, false, false],
      first: merged[0][5 * 128 + 7],
    });
    const chunk = (await status('corrupt-denoise')).chunks[3];
    expect(chunk).toMatchObject({ state: 'failed', failedAttempts: 2 });
    expect(chunk.error).toMatch(/plane 3 of planes-corrupt\.ome\.tif cannot be read/);
    expect(JSON.parse(await readFile(join(dir, 'jobs', 'corrupt-denoise', 'result.json'), 'utf8'))).toEqual(result);
  });

  it('refuses to start a worker on a Redis beyond loopback without a password, saying why', async () => {
    const run = await runScope(['worker', '--redis', 'redis://10.255.255.1:6379', '--storage', dir]);
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(
      /refusing Redis at 10\.255\.255\.1:6379 without a password: the host is not loopback.*jobs\.redis\.password/,
    );
  });
});
