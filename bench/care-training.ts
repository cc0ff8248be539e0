/**
 * `npm run bench -- care-training [--reps 5] [--frames 200] [--unpaced-frames 4000] [--fps 20] [--size 512] [--skip-csbdeep] [--skip-steps] [--skip-acquisition] [--skip-deploy]`
 *
 * One JSON line per case on stdout: `{"bench":"care-training","case":…,…,"ratio":…}`, ratio ≥ 1 meaning we are at
 * least as good.
 * - train-step-<net>-b16x64: one Adam step (forward, MSE, backward, update) on a batch of 16 patches of 64², the
 *   small net (kernel 3, 16 first filters) and CSBDeep's default (kernel 5, 32 first filters, depth 2): ours
 *   (TensorFlow.js, wasm backend with our gradient kernels: one thread, all wasm runs in Node) against the same
 *   net in PyTorch CPU (Debian's python3-torch, installed by apt-get when missing, with its allocator tuned as in
 *   `bench models`) on the same number of threads, in the same run, ours and the peer alternating in rounds.
 *   ratio = the peer's best median (1 thread or every core, whichever is faster: on this machine every core) over
 *   ours (goal ≥ 0.5); ratioSameThreads is against the peer held to our one thread, for the record.
 * - acquisition-while-training: an acquisition through the real runner and OME-TIFF writer (frames from memory,
 *   paced at --fps like a camera, and unpaced: as fast as the path goes), alone and while a Noise2Void training
 *   runs in a worker thread of the same process at the lowest thread priority (nice 19), as the service's jobs
 *   do. ratio = fps with training / fps without (goal ≥ 0.95). Unpaced, twice: training yielding (the service's
 *   default, careTraining.background.duringAcquisition: yield) and pausing (…: pause, the flag set when the
 *   acquisition starts and cleared when it ends, as the service does); trainingSteps: steps it made meanwhile.
 * - calibrate-to-deploy: the service on the simulated microscope, over HTTP: calibrate, train (the small net,
 *   service defaults), evaluate, deploy live when it beats the tuned filters (bench/support/calibrate-to-deploy.ts).
 *   ratio = 15 minutes over the time taken (goal ≥ 1); 0 when the model did not beat classical and was not deployed.
 */
import * as tf from '@tensorflow/tfjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { AcquisitionEngine, EngineImage, SchedulableEvent } from '../src/acquisition/engine/engine';
import { AcquisitionRun } from '../src/acquisition/runner/runner';
import { openOmeTiffWriter } from '../src/acquisition/storage';
import { scriptOptions } from '../src/cli/run-script';
import { CSBDEEP_DEFAULT_CONFIG, type CareConfig } from '../src/models/care/care-config';
import { buildCareNetwork } from '../src/models/care/care-network';
import { careLoss } from '../src/models/care/training/losses';
import { initTfjsBackend } from '../src/models/runtime/tfjs-backend';
import { TrainingPause } from '../src/models/care/jobs/training-pause';
import { calibrateToDeploy } from './support/calibrate-to-deploy';
import { startSourceWorker } from '../src/models/runtime/start-worker';
import { LOWEST_PRIORITY, type ThreadPriority } from '../src/models/runtime/thread-priority';
import { CARE_TORCH_NET, ensureTorch, peerAllocator, PYTHON } from '../scripts/care-torch-peer';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const OPTIONS = z.object({
  reps: count(5),
  frames: count(200),
  /** frames of the unpaced cases (a few seconds at this path's speed, so that a training step in flight weighs little) */
  unpacedFrames: count(4000),
  fps: z.coerce.number().positive().default(20),
  size: count(512),
  skipCsbdeep: z.boolean().default(false),
  skipAcquisition: z.boolean().default(false),
  skipDeploy: z.boolean().default(false),
  skipSteps: z.boolean().default(false),
  /** calibrate-to-deploy: camera side, positions and network of the whole service path */
  deploySize: count(256),
  deployPositions: count(8),
  deployNetwork: z.enum(['tiny', 'small', 'csbdeep']).default('small'),
  /** the low light level of the calibration, % (the one the user images at) */
  deployLowPercent: z.coerce.number().positive().max(100).default(1),
  /** the calibration's exposure, ms: 1 ms at 1 % gives about 13 photons at the brightest pixel (the issue's 12-photon case) */
  deployExposureMs: z.coerce.number().positive().default(1),
  peerDefaultMalloc: z.boolean().default(false),
});
const USAGE =
  'npm run bench -- care-training [--reps 5] [--frames 200] [--unpaced-frames 4000] [--fps 20] [--size 512] [--skip-csbdeep] [--skip-steps] [--skip-acquisition] [--skip-deploy] [--deploy-size 256] [--deploy-positions 8] [--deploy-network small] [--deploy-low-percent 1] [--deploy-exposure-ms 1] [--peer-default-malloc]';
const args = scriptOptions('bench care-training', process.argv.slice(2), OPTIONS, USAGE).options;
const round = (v: number, digits = 1) => Number(v.toFixed(digits));
const emit = (line: object) => process.stdout.write(`${JSON.stringify({ bench: 'care-training', ...line })}\n`);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const BATCH = 16;
const PATCH_PX = 64;
const SMALL_NET: CareConfig = { kernelSize: 3, depth: 2, firstFilters: 16, convsPerLevel: 2, residual: true, probabilistic: false };

const TRAIN_PEER = String.raw`${CARE_TORCH_NET}
torch.set_num_threads(int(os.environ['PEER_THREADS']))
model = None
for line in sys.stdin:
    req = json.loads(line)
    if req['op'] == 'build':
        torch.manual_seed(0)
        model = Care(req['config']).train()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.randn(req['batch'], 1, req['size'], req['size'])
        print(json.dumps({'ok': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
    elif req['op'] == 'steps':
        ms = []
        for _ in range(req['reps']):
            t = time.perf_counter()
            opt.zero_grad()
            loss = F.mse_loss(model(x), x)
            loss.backward()
            opt.step()
            loss.item()
            ms.append((time.perf_counter() - t) * 1000)
        print(json.dumps({'ok': True, 'ms': ms}), flush=True)
`;

class TrainPeer {
  private readonly lines: AsyncIterableIterator<string>;
  private constructor(private readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(`torch peer: ${d}`));
  }
  static async start(config: CareConfig, threads: number): Promise<TrainPeer> {
    const env = { ...peerAllocator(args.peerDefaultMalloc).env, PEER_THREADS: String(threads) };
    const peer = new TrainPeer(spawn(PYTHON, ['-c', TRAIN_PEER], { stdio: ['pipe', 'pipe', 'pipe'], env }));
    await peer.request({ op: 'build', config, batch: BATCH, size: PATCH_PX });
    return peer;
  }
  async request(body: object): Promise<Record<string, unknown>> {
    this.child.stdin!.write(`${JSON.stringify(body)}\n`);
    const { value, done } = await this.lines.next();
    if (done) throw new Error('the PyTorch training peer exited');
    return JSON.parse(value) as Record<string, unknown>;
  }
  async steps(reps: number): Promise<number[]> {
    return (await this.request({ op: 'steps', reps })).ms as number[];
  }
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    await exited;
  }
}

async function trainStep(name: string, config: CareConfig): Promise<void> {
  const model = buildCareNetwork(config);
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([BATCH, PATCH_PX, PATCH_PX, 1], 0, 1, 'float32', 0) as tf.Tensor4D;
  const step = () => {
    const started = performance.now();
    const cost = optimizer.minimize(() => careLoss('mse', model.apply(x, { training: true }) as tf.Tensor4D, x), true)!;
    cost.dataSync();
    cost.dispose();
    return performance.now() - started;
  };
  const ourThreads = 1;
  const peer = await TrainPeer.start(config, ourThreads);
  const peerAll = await TrainPeer.start(config, (await import('node:os')).cpus().length);
  try {
    step();
    await peer.steps(1);
    await peerAll.steps(1);
    const ours: number[] = [];
    const theirs: number[] = [];
    const theirsAll: number[] = [];
    for (let r = 0; r < args.reps; r++) {
      ours.push(step());
      theirs.push(...(await peer.steps(1)));
      theirsAll.push(...(await peerAll.steps(1)));
    }
    emit({
      case: `train-step-${name}-b${BATCH}x${PATCH_PX}`,
      params: model.countParams(),
      ours: 'tfjs wasm (1 thread, forward-convolution gradient kernels)',
      peer: `PyTorch CPU, ${ourThreads} thread and every core (its best counts)`,
      reps: args.reps,
      minMs: round(Math.min(...ours)),
      medianMs: round(median(ours)),
      peerMinMs: round(Math.min(...theirs)),
      peerMedianMs: round(median(theirs)),
      peerAllCoresMinMs: round(Math.min(...theirsAll)),
      peerAllCoresMedianMs: round(median(theirsAll)),
      ratio: round(Math.min(median(theirs), median(theirsAll)) / median(ours), 3),
      ratioSameThreads: round(median(theirs) / median(ours), 3),
    });
  } finally {
    await peer.close();
    await peerAll.close();
    tf.dispose([x]);
    optimizer.dispose();
    model.dispose();
  }
}

class MemoryCameraEngine implements AcquisitionEngine<SchedulableEvent> {
  private taken = 0;
  constructor(private readonly frames: readonly Uint16Array[]) {}
  async setupSequence(): Promise<void> {}
  async setupEvent(): Promise<void> {}
  async teardownEvent(): Promise<void> {}
  async teardownSequence(): Promise<void> {}
  async *execEvent(event: SchedulableEvent): AsyncIterable<EngineImage> {
    const pixels = this.frames[this.taken++ % this.frames.length];
    yield {
      pixels,
      meta: {
        index: event.index,
        width: args.size,
        height: args.size,
        bitDepth: 16,
        pixelSizeUm: 0.1,
        exposureMs: 10,
        stage: {},
        camera: 'Memory',
      },
    };
  }
}

async function acquireFps(dir: string, frames: readonly Uint16Array[], count: number, fps?: number): Promise<number> {
  function* events(): Iterable<SchedulableEvent> {
    for (let t = 0; t < count; t++) yield { index: { t, c: 0, z: 0 }, ...(fps ? { minStartTimeS: t / fps } : {}) };
  }
  const path = join(dir, `run-${Date.now()}.ome.tif`);
  const writer = await openOmeTiffWriter(path, {
    sizes: { t: count, c: 1, z: 1 },
    dtype: 'uint16',
    widthPx: args.size,
    heightPx: args.size,
    pixelSizeUm: 0.1,
  });
  const run = new AcquisitionRun({ events: events(), engine: new MemoryCameraEngine(frames), sink: writer, framesPlanned: count });
  const started = performance.now();
  const progress = await run.start();
  const seconds = (performance.now() - started) / 1000;
  rmSync(path, { force: true });
  if (progress.state !== 'finished') throw new Error(`acquisition ${progress.state}: ${progress.error}`);
  return count / seconds;
}

/** The training load: a worker thread at the lowest thread priority (as the service's jobs), resolved once it has trained its first steps. */
async function startTraining(pause: TrainingPause): Promise<{ worker: Worker; steps: () => number }> {
  const worker = startSourceWorker(join(__dirname, 'support'), 'training-load', __filename, { pause: pause.buffer });
  let steps = 0;
  worker.on('message', (m: { steps?: number }) => (steps = m.steps ?? steps));
  const first = await new Promise<{ ready?: boolean; error?: string; priority?: ThreadPriority }>((resolve, reject) => {
    const onMessage = (m: { ready?: boolean; error?: string }) => {
      if (m.ready || m.error) {
        worker.off('message', onMessage);
        resolve(m);
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  if (!first.ready) throw new Error(first.error ?? 'the training load did not start');
  if (first.priority?.nice !== LOWEST_PRIORITY)
    process.stderr.write(`care-training bench: the training thread kept its priority (${first.priority?.unchanged})\n`);
  return { worker, steps: () => steps };
}

async function acquisitionWhileTraining(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-care-training-'));
  const frames = Array.from({ length: 4 }, (_, k) => {
    let seed = 99 + k;
    return Uint16Array.from({ length: args.size * args.size }, () => ((seed = (seed * 1103515245 + 12345) >>> 0), 100 + (seed >>> 20)));
  });
  const cases: ReadonlyArray<{ fps?: number; count: number; during: 'yield' | 'pause' }> = [
    { fps: args.fps, count: args.frames, during: 'yield' },
    { count: args.unpacedFrames, during: 'yield' },
    { count: args.unpacedFrames, during: 'pause' },
  ];
  try {
    for (const { fps, count, during } of cases) {
      const alone: number[] = [];
      const training: number[] = [];
      const steps: number[] = [];
      await acquireFps(dir, frames, count, fps);
      // Alternating rounds, a fresh training each time, so that drift in the machine's load falls on both alike.
      for (let r = 0; r < 3; r++) {
        alone.push(await acquireFps(dir, frames, count, fps));
        const pause = new TrainingPause();
        const load = await startTraining(pause);
        try {
          const before = load.steps();
          if (during === 'pause') pause.set(true);
          training.push(await acquireFps(dir, frames, count, fps));
          pause.set(false);
          steps.push(load.steps() - before);
        } finally {
          await load.worker.terminate();
        }
      }
      emit({
        case: `acquisition-while-training-${args.size}-${fps ? `paced-${fps}fps` : 'unpaced'}-${during}`,
        frames: count,
        training: `Noise2Void (N2V2 small net, batch 16 of 64²) in a worker thread of the same process at thread nice 19 and SCHED_IDLE, ${during === 'pause' ? 'paused between steps while the acquisition runs' : 'going on meanwhile'}, as the service trains`,
        fpsAloneMedian: round(median(alone), 2),
        fpsAloneMin: round(Math.min(...alone), 2),
        fpsTrainingMedian: round(median(training), 2),
        fpsTrainingMin: round(Math.min(...training), 2),
        trainingSteps: steps,
        ratio: round(median(training) / median(alone), 3),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const backend = await initTfjsBackend();
  if (backend.backend === 'cpu') throw new Error('the wasm backend did not start; the training-step figures would be the cpu backend’s');
  const missing = args.skipSteps ? 'left out by --skip-steps' : ensureTorch();
  if (missing) process.stderr.write(`care-training bench: no PyTorch peer (${missing}); the training-step cases are left out\n`);
  else {
    await trainStep('small', SMALL_NET);
    if (!args.skipCsbdeep) await trainStep('csbdeep-default', CSBDEEP_DEFAULT_CONFIG);
  }
  if (!args.skipAcquisition) await acquisitionWhileTraining();
  if (!args.skipDeploy) {
    emit(
      await calibrateToDeploy({
        sizePx: args.deploySize,
        positions: args.deployPositions,
        network: args.deployNetwork,
        lowPercent: args.deployLowPercent,
        highPercent: 80,
        exposureMs: args.deployExposureMs,
      }),
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench care-training failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
