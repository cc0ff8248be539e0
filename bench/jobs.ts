/**
 * `npm run bench -- jobs [--frames N] [--storm-side PX] [--planes N] [--care-side PX] [--reps N]`: offline jobs
 * (src/jobs) against the raw model calls they make, one JSON line per case on stdout.
 * - <storm|care>-raw: the model calls alone (DeepStormProcessor.process per batch of 4 frames, CareModel.restore
 *   per plane) over the whole data set, frames read beforehand, model loaded once (its load not timed).
 * - <storm|care>-in-process: `scope jobs submit` without Redis (InProcessJobBackend in this process): chunks one by
 *   one, each read, computed, written to the job storage, then merged; the model's load is part of each run.
 * - <storm|care>-workers-<n>: the same job on BullMQ through a redis-server on a free port, n `scope worker`
 *   processes started (and warmed by one job, as a facility's workers are) before the timed runs.
 * Each: wall time min/median over --reps runs, chunks/s, overhead per chunk against raw ((job − raw) / chunks) and
 * ratio = raw model time / job time (≥ 1: as fast as the bare model calls; goal ≥ 0.9 at one worker), on medians;
 * ratioMin the same on the fastest runs (less exposed to other load on the machine).
 * - <storm|care>-scaling-model: how the job would scale over N machines of this one's speed, one worker each, from
 *   the one-worker per-chunk cost, the measured Redis round trip and commands per chunk (Redis INFO), and the bytes
 *   each chunk moves through the shared storage (bounded by 1 GbE / 10 GbE links and one Redis). A model, said so.
 * Defaults: 400 frames of 64² (chunks of 40) and 50 planes of 512², not the 2,000 frames and 200 planes:
 * on 2 cores those take about 50 s and 25 s a run, over 10 minutes for the 14 runs; --frames 2000 --planes 200
 * runs them.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { scriptOptions } from '../src/cli/run-script';
import { BullJobBackend } from '../src/jobs/bull-backend';
import { InProcessJobBackend } from '../src/jobs/in-process-backend';
import type { JobSpec } from '../src/jobs/job-spec';
import { FileJobStorage } from '../src/jobs/job-storage';
import type { JobsContext } from '../src/jobs/jobs-context';
import { jobsConfigSchema } from '../src/jobs/jobs.config';
import { redisConnectionOptions } from '../src/jobs/redis-connection';
import { submitJob } from '../src/jobs/submit-job';
import { loadCareModel } from '../src/models/care/care-model';
import { openDeepStorm } from '../src/models/smlm/deep-storm/load-deep-storm';
import { DeepStormProcessor } from '../src/models/smlm/reconstruct/frame-processor';
import { freePort } from '../test/support/free-port';
import { startRedis, startWorker, type WatchedProcess } from '../test/support/jobs-cluster';
import { writeBlinkingMovie, writeNoisyPlanes } from '../test/support/jobs-data';
import { bytesUnder, redisProbe, scalingModel } from './support/jobs-scaling';

const USAGE = 'npm run bench -- jobs [--frames N] [--storm-side PX] [--frames-per-chunk N] [--planes N] [--care-side PX] [--reps N]';
const OPTIONS = z.object({
  frames: z.coerce.number().int().positive().default(400),
  stormSide: z.coerce.number().int().positive().default(64),
  framesPerChunk: z.coerce.number().int().positive().multipleOf(4).default(40),
  planes: z.coerce.number().int().positive().default(50),
  careSide: z.coerce.number().int().positive().default(512),
  reps: z.coerce.number().int().positive().default(3),
});
const args = scriptOptions('bench jobs', process.argv.slice(2), OPTIONS, USAGE).options;

const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'jobs', ...line })}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function timed(runs: number, run: () => Promise<void>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    ms.push(performance.now() - started);
  }
  return ms;
}

async function readAll(storage: FileJobStorage, key: string): Promise<Array<ArrayLike<number>>> {
  const stack = await storage.openStack(key);
  const planes: Array<ArrayLike<number>> = [];
  for (let p = 0; p < stack.planeCount; p++) planes.push(await stack.readPlane(p));
  await stack.close();
  return planes;
}

/** The raw model time over the whole data set, each of `reps` runs. */
async function rawMs(kind: JobSpec['method']['kind'], planes: ReadonlyArray<ArrayLike<number>>, side: number): Promise<number[]> {
  if (kind === 'storm') {
    const engine = await openDeepStorm();
    const processor = new DeepStormProcessor(engine);
    const grid = { widthPx: side, heightPx: side, pixelSizeNm: 100 };
    await processor.process(planes.slice(0, 4), 0, grid);
    const ms = await timed(args.reps, async () => {
      for (let f = 0; f < planes.length; f += 4) await processor.process(planes.slice(f, f + 4), f, grid);
    });
    await engine.runtime.dispose();
    return ms;
  }
  const model = await loadCareModel();
  await model.restore(planes[0], side, side);
  const ms = await timed(args.reps, async () => {
    for (const plane of planes) await model.restore(plane, side, side);
  });
  await model.dispose();
  return ms;
}

function context(storage: FileJobStorage, backend: JobsContext['backend']): JobsContext {
  const settings = jobsConfigSchema.parse({ stormFramesPerChunk: args.framesPerChunk, denoisePlanesPerChunk: 1 });
  return { settings, storage, redis: null, backend };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'scope-bench-jobs-'));
  const storage = new FileJobStorage(dir);
  const processes: WatchedProcess[] = [];
  try {
    await writeBlinkingMovie(join(dir, 'movie.ome.tif'), args.stormSide, args.frames);
    await writeNoisyPlanes(join(dir, 'planes.ome.tif'), args.careSide, args.planes);
    const port = await freePort();
    processes.push(await startRedis(port, dir));
    const connection = redisConnectionOptions({ url: `redis://127.0.0.1:${port}`, password: null });
    const config = join(dir, 'bench.yaml');
    await writeFile(config, `jobs:\n  stormFramesPerChunk: ${args.framesPerChunk}\n`);
    const probe = await redisProbe(connection);
    const cases = [
      {
        name: 'storm',
        kind: 'storm' as const,
        key: 'movie.ome.tif',
        side: args.stormSide,
        size: `${args.frames} frames of ${args.stormSide}²`,
      },
      {
        name: 'care',
        kind: 'denoise' as const,
        key: 'planes.ome.tif',
        side: args.careSide,
        size: `${args.planes} planes of ${args.careSide}²`,
      },
    ];
    let serial = 0;
    const method = (kind: JobSpec['method']['kind']): JobSpec['method'] =>
      kind === 'storm'
        ? { kind, model: 'deep-storm-default', runtime: 'auto', pixelSizeNm: null }
        : { kind, model: 'care-default', runtime: 'auto' };
    for (const c of cases) {
      const planes = await readAll(storage, c.key);
      const chunks = c.kind === 'storm' ? Math.ceil(args.frames / args.framesPerChunk) : args.planes;
      const rawRuns = await rawMs(c.kind, planes, c.side);
      const raw = median(rawRuns);
      const rawMin = Math.min(...rawRuns);
      const report = (name: string, ms: number[], extra: Record<string, unknown> = {}) =>
        emit({
          case: `${c.name}-${name}`,
          size: c.size,
          chunks,
          minMs: round(Math.min(...ms), 1),
          medianMs: round(median(ms), 1),
          chunksPerS: round(chunks / (median(ms) / 1000)),
          overheadMsPerChunk: name === 'raw' ? 0 : round((median(ms) - raw) / chunks, 2),
          ratio: round(raw / median(ms)),
          ratioMin: round(rawMin / Math.min(...ms)),
          ...extra,
        });
      report('raw', rawRuns);
      const local = context(storage, new InProcessJobBackend(storage, 2));
      report(
        'in-process',
        await timed(args.reps, async () => void (await submitJob(local, { method: method(c.kind), dataset: c.key, id: `b${serial++}` }))),
      );
      for (const count of [1, 2]) {
        const workers = await Promise.all(
          Array.from({ length: count }, (_, i) =>
            startWorker(`bench-${count}-${i}`, ['--redis', `redis://127.0.0.1:${port}`, '--storage', dir, '--config', config]),
          ),
        );
        const backend = new BullJobBackend(connection, 2);
        const queued = context(storage, backend);
        const once = async () => {
          const { spec } = await submitJob(queued, { method: method(c.kind), dataset: c.key, id: `b${serial++}` });
          await backend.waitForResult(spec.id, 3_600_000, 20);
        };
        await once(); // the workers load their model on their first chunk
        const before = await probe.commands();
        const firstTimed = serial;
        const runs = await timed(args.reps, once);
        report(`workers-${count}`, runs);
        if (count === 1) {
          emit({
            case: `${c.name}-scaling-model`,
            size: c.size,
            chunks,
            note: 'predicted from the one-worker figures above, not measured on N machines; Redis commands per chunk count all Redis did in the timed runs (lock renewals, the waiting submitter polling every 20 ms): an upper bound',
            ...scalingModel({
              chunks,
              oneWorkerMs: median(runs),
              rawMs: raw,
              redisRttMs: probe.rttMs,
              redisCommandsPerChunk: ((await probe.commands()) - before) / (args.reps * chunks),
              // the data set's planes read once, plus all the job wrote (chunk files and output)
              storageBytesPerChunk:
                ((await stat(join(dir, c.key))).size + (await bytesUnder(join(dir, 'jobs', `b${firstTimed}`)))) / chunks,
            }),
          });
        }
        await backend.close();
        for (const worker of workers) await worker.kill('SIGTERM');
      }
    }
    await probe.close();
  } finally {
    for (const p of processes.reverse()) await p.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench jobs: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
