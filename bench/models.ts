/**
 * `npm run bench -- models [flags]`: our model paths against their floor and against PyTorch, one JSON line per
 * case on stdout: `{"bench":"models","case":…,msPerFrame,floorMsPerFrame,peerMsPerFrame,ratio,ratioToFloor,…}`.
 *
 * Speed cases (milliseconds per frame through our whole path: normalisation, tiling, post-processing):
 * - care-shipped-512x512, care-shipped-2048x2048 (tiled): the shipped CARE model (models/care-default, loaded with
 *   loadCareModel) on ONNX Runtime and on TensorFlow.js, each frame restored into the planes of the one before (as
 *   `scope denoise` does); freshPlanesMsPerFrame: two new output planes per frame, as the live branch's worker
 *   hands its planes on to the stream (32 MB a 2048² frame, first touched in page faults); care-csbdeep-default-512x512: CSBDeep's default network
 *   with random weights, tfjs only (it has no ONNX file; 2048² would take minutes per frame on one wasm thread).
 * - deep-storm-64x64-x8: the shipped Deep-STORM model (openDeepStorm, DeepStormProcessor) on 64×64 camera frames
 *   upsampled ×8 (512² network input), batches of the processor's preferred size; ms per camera frame.
 * - zoo-unet2d-nuclei-broad-512x512: the BioImage Model Zoo package from ../shared/data (ZooModel:
 *   zero-mean-unit-variance, tiling, sigmoid); ONNX Runtime only (the package has no tfjs weights).
 * Each line has the floor and the peer of the same run:
 * - floor: the very network calls our path made for the frame (recorded: the normalised tiles or batch as handed
 *   to the runtime), replayed raw: `session.run` on our path's own ONNX Runtime session (same file, options
 *   and thread pool: CPU provider, graph optimisation 'all', ORT's default intra-op threads; see sessionBehind in
 *   bench/model-floor.ts for why not a second session), or tfjs `model.predict` + `data()` for the tfjs lines.
 *   A tiled frame's floor is the sum over its tiles.
 *   ratioToFloor = floor ms / our ms (goal ≥ 0.85).
 * - peer: the same network and weights in PyTorch CPU (Debian's python3-torch, installed with apt-get if missing),
 *   doing the same whole job as a PyTorch user would: CARE by scripts/care-torch-peer.ts, Deep-STORM and the Zoo
 *   U-Net by bench/zoo-torch-peer.ts (the ONNX graph op by op), with a malloc that keeps freed memory (peerAllocator).
 *   ratio = peer ms / our ms (goal ≥ 8); floorToPeerRatio = peer ms / floor ms, the most any path around this
 *   runtime could reach.
 * Ours, the floor and the peer alternate in balanced rounds, so that load from other processes falls on all alike.
 * RSS cases (`<model>-rss-…`, after all speed cases): each model path on ONNX Runtime, RSS at the start, after warm-up (the first tenth)
 * and after `--rss-frames` frames, peak sampled every 100 frames, and whether it stayed flat. CARE's loop runs
 * 512² frames (10,000 frames of 2048² would take hours).
 * Then the accuracy tables: the shipped CARE model against raw, Gaussian and median filters on held-out simulated
 * fields, and Noise2Void on the real EMCCD time-lapse by the cross-frame measure.
 *
 * Flags:
 *   --only care|storm|zoo   run these parts only (comma-separated list allowed; default all three)
 *   --reps N                rounds of the speed alternation (default 3)
 *   --rss-frames N          frames per RSS loop (default 10000; 0 skips the loops)
 *   --skip-tfjs             leave out the TensorFlow.js lines (ONNX Runtime only)
 *   --skip-csbdeep          leave out CSBDeep's default network
 *   --skip-accuracy         leave out the CARE accuracy tables
 *   --skip-n2v              leave out the Noise2Void evaluation (a short training)
 *   --zoo-only, --skip-zoo  older spellings of `--only zoo` and of leaving zoo out
 *   --peer-default-malloc   run the PyTorch peers with glibc's default malloc instead of one that keeps freed memory
 *                           (see peerAllocator in scripts/care-torch-peer.ts: on this VM the default makes the peer 2–15×
 *                           slower and erratic, which flattered our ratios)
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { BlinkingMovie } from '../simulators/sample/blinking';
import { CSBDEEP_DEFAULT_CONFIG } from '../src/models/care/care-config';
import { CareModel, DEFAULT_CARE_MODEL, loadCareModel } from '../src/models/care/care-model';
import { buildCareNetwork } from '../src/models/care/care-network';
import { CareRestorer, type Restoration } from '../src/models/care/care-restorer';
import { compareDenoisers } from '../src/models/care/evaluation/compare-denoisers';
import type { InferenceRuntime } from '../src/models/runtime/inference-runtime';
import { loadOnnxRuntime } from '../src/models/runtime/onnx-runtime';
import { initTfjsBackend } from '../src/models/runtime/tfjs-backend';
import { TfjsRuntime } from '../src/models/runtime/tfjs-runtime';
import { DEFAULT_DEEP_STORM_MODEL, openDeepStorm, type DeepStormEngine } from '../src/models/smlm/deep-storm/load-deep-storm';
import { DeepStormProcessor } from '../src/models/smlm/reconstruct/frame-processor';
import { ModelStore, SHIPPED_MODELS_DIR } from '../src/models/store/model-store';
import { applySteps } from '../src/models/zoo/processing';
import { planes } from '../src/models/zoo/planes';
import { ZooModel } from '../src/models/zoo/zoo-model';
import { simulateCarePairs } from '../scripts/care-training-data';
import { ensureTorch, peerAllocator, TorchPeer } from '../scripts/care-torch-peer';
import { alternate, median, onnxFloor, RecordingRuntime, rssLoop, tfjsFloor, type Floor, type Timer } from './support/model-floor';
import { OnnxTorchPeer } from './support/zoo-torch-peer';
import { scriptOptions } from '../src/cli/run-script';

/** Frames timed back to back in one slice of a round (small frames): steady streaming, not a cold start. */
const FRAMES_PER_SLICE = 4;
const count = z.coerce.number().int().nonnegative();
const OPTIONS = z.object({
  reps: count.default(3),
  rssFrames: count.optional(),
  zooFrames: count.optional(),
  only: z.string().min(1).optional(),
  zooOnly: z.boolean().default(false),
  skipZoo: z.boolean().default(false),
  skipTfjs: z.boolean().default(false),
  skipCsbdeep: z.boolean().default(false),
  skipAccuracy: z.boolean().default(false),
  skipN2v: z.boolean().default(false),
  peerDefaultMalloc: z.boolean().default(false),
});
const USAGE =
  'npm run bench -- models [--reps 3] [--rss-frames N | --zoo-frames N] [--only care,storm,zoo | --zoo-only] [--skip-zoo] [--skip-tfjs] ' +
  '[--skip-csbdeep] [--skip-accuracy] [--skip-n2v] [--peer-default-malloc]';
const args = scriptOptions('bench models', process.argv.slice(2), OPTIONS, USAGE).options;
const flag = (name: 'skipCsbdeep' | 'skipAccuracy' | 'skipN2v') => args[name];
const reps = Math.max(1, args.reps);
const rssFrames = args.rssFrames ?? args.zooFrames ?? 10_000;
const parts = new Set(args.zooOnly ? ['zoo'] : args.only ? args.only.split(',') : ['care', 'storm', 'zoo']);
if (args.skipZoo) parts.delete('zoo');
for (const p of parts) if (!['care', 'storm', 'zoo'].includes(p)) throw new Error(`--only takes care, storm or zoo, got ${p}`);
const withTfjs = !args.skipTfjs;
const allocator = peerAllocator(args.peerDefaultMalloc);

/** The RSS loops, run after every speed case so that the speed figures are taken on a fresh process. */
const rssLoops: Array<() => Promise<void>> = [];

const round = (v: number, digits = 1) => Number(v.toFixed(digits));
const emit = (line: object) => process.stdout.write(`${JSON.stringify({ bench: 'models', ...line })}\n`);
const ORT_THREADS = `ORT default intra-op threads (${cpus().length} CPUs)`;

function testFrame(sizePx: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: sizePx * sizePx }, (_, i) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return 100 + 40 * Math.sin((i % sizePx) / 9) * Math.cos(Math.floor(i / sizePx) / 13) + 20 * (s / 2 ** 32);
  });
}

/** Largest difference between our network's and PyTorch's outputs on the same normalised input. */
async function agreement(runtime: InferenceRuntime, peer: TorchPeer, channels: number): Promise<number> {
  const size = 64;
  const input = testFrame(size).map((v) => (v - 100) / 60);
  const ours = (await runtime.predict(input, [1, size, size, 1])).data;
  const theirs = await peer.predict(input, size, size);
  let max = 0;
  for (let c = 0; c < channels; c++)
    for (let i = 0; i < size * size; i++) max = Math.max(max, Math.abs(ours[i * channels + c] - theirs[c * size * size + i]));
  return max;
}

/** Our ms, the floor's, the peer's and their ratios, as every speed line carries them. */
function figures(ours: readonly number[], floor: readonly number[] | undefined, theirs: readonly number[] | undefined) {
  const ms = median(ours);
  const floorMs = floor?.length ? median(floor) : null;
  const peerMs = theirs?.length ? median(theirs) : null;
  return {
    msPerFrame: round(ms, 2),
    floorMsPerFrame: floorMs === null ? null : round(floorMs, 2),
    peerMsPerFrame: peerMs === null ? null : round(peerMs, 1),
    ratio: peerMs === null ? null : round(peerMs / ms, 3),
    ratioToFloor: floorMs === null ? null : round(floorMs / ms, 3),
    floorToPeerRatio: peerMs === null || floorMs === null ? null : round(peerMs / floorMs, 3),
    frames: ours.length,
  };
}

function runtimeFields(runtime: InferenceRuntime | string) {
  const name = typeof runtime === 'string' ? runtime : runtime.name;
  return name === 'onnxruntime-node'
    ? { runtime: name, provider: 'cpu', threads: ORT_THREADS }
    : {
        runtime: name,
        provider: `tfjs backend ${tf.getBackend()}`,
        threads: tf.getBackend() === 'wasm' ? '1 (wasm, single-threaded in Node)' : 'backend default',
      };
}

const floorFor = async (runtime: InferenceRuntime, onnxPath: string | undefined, calls: RecordingRuntime['calls']): Promise<Floor> =>
  runtime instanceof TfjsRuntime ? tfjsFloor(runtime.model, calls) : onnxFloor(runtime, onnxPath!, calls);

const timeFloor =
  (floor: Floor, framesPerRun: number, runs: number): Timer =>
  async () => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) ms.push((await floor.run()) / framesPerRun);
    return ms;
  };

/** Times `runs` calls of our path back to back: milliseconds per frame, one value per call. */
const timeCalls =
  (runs: number, framesPerCall: number, call: () => Promise<unknown>): Timer =>
  async () => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await call();
      ms.push((performance.now() - t) / framesPerCall);
    }
    return ms;
  };

// ---------------------------------------------------------------------------------------------------- CARE

interface CareRuntime {
  readonly model: CareModel;
  readonly onnxPath?: string;
}

async function careShipped(torchProblem: string | null): Promise<void> {
  const dir = join(SHIPPED_MODELS_DIR, DEFAULT_CARE_MODEL);
  if (!existsSync(dir)) {
    process.stderr.write(`models bench: ${dir} is missing (run npm run train:care); no CARE case\n`);
    return;
  }
  const tfjsModel = await loadCareModel(dir, { runtime: 'tfjs' });
  const runtimes: CareRuntime[] = [];
  const onnx = tfjsModel.folder.rdf.weights.onnx;
  if (onnx && loadOnnxRuntime()) runtimes.push({ model: await loadCareModel(dir, { runtime: 'onnx' }), onnxPath: join(dir, onnx.source) });
  if (withTfjs) runtimes.push({ model: tfjsModel });
  const config = tfjsModel.scope.architecture;
  const peer = torchProblem ? undefined : await TorchPeer.start((tfjsModel.runtime as TfjsRuntime).model, config, allocator);
  if (peer)
    emit({
      case: 'care-shipped-agreement',
      maxAbsDifferenceVsPytorch: Number((await agreement(tfjsModel.runtime, peer, config.probabilistic ? 2 : 1)).toExponential(2)),
    });
  for (const size of [512, 2048]) {
    const frame = testFrame(size);
    // Consecutive frames per slice, as a live stream has them (at 2048² two on ONNX Runtime, where a frame takes
    // about a second, one on tfjs, where it takes seven).
    const sliceFrames = (onnxPath?: string) => (size < 2048 ? FRAMES_PER_SLICE : onnxPath ? 2 : 1);
    const rounds = size >= 2048 ? Math.max(3, reps) : 2 * reps;
    const timers: Record<string, Timer | undefined> = {};
    const floors: Floor[] = [];
    const tiles: Record<string, number> = {};
    for (const { model, onnxPath } of runtimes) {
      // The network calls our path makes for this frame, recorded once and replayed raw as the floor.
      const recorder = new RecordingRuntime(model.runtime);
      await new CareModel(model.folder, model.scope, recorder).restore(frame, size, size);
      const floor = await floorFor(model.runtime, onnxPath, recorder.calls);
      floors.push(floor);
      tiles[model.runtime.name] = recorder.calls.length;
      // as `scope denoise` restores a stack: each frame into the planes of the one before
      let planes: Restoration | undefined;
      const perSlice = sliceFrames(onnxPath);
      timers[`ours:${model.runtime.name}`] = timeCalls(
        perSlice,
        1,
        async () => (planes = await model.restore(frame, size, size, { into: planes })),
      );
      // as the live branch does: two new planes per frame, handed on to the stream
      timers[`fresh:${model.runtime.name}`] = timeCalls(perSlice, 1, () => model.restore(frame, size, size));
      timers[`floor:${model.runtime.name}`] = timeFloor(floor, 1, perSlice);
    }
    timers.peer = peer ? () => peer.time(size, size, sliceFrames()) : undefined;
    const samples = await alternate(timers, rounds);
    for (const { model } of runtimes) {
      const name = model.runtime.name;
      emit({
        case: `care-shipped-${size}x${size}-${name}`,
        model: DEFAULT_CARE_MODEL,
        ...runtimeFields(model.runtime),
        ...figures(samples[`ours:${name}`], samples[`floor:${name}`], samples.peer),
        freshPlanesMsPerFrame: round(median(samples[`fresh:${name}`]), 2),
        tiles: tiles[name],
        uncertainty: model.uncertaintyMethod,
        floor: floors[runtimes.findIndex((r) => r.model === model)].description,
        peer: peer
          ? `PyTorch ${torchPeerNote} CPU, same network and weights, whole ${size}² frame in one forward pass`
          : `none: ${torchProblem}`,
      });
    }
    for (const f of floors) await f.dispose();
  }
  await peer?.close();
  const onnxModel = runtimes.find((r) => r.onnxPath)?.model;
  for (const { model } of runtimes) if (model !== onnxModel) await model.dispose();
  if (!withTfjs) await tfjsModel.dispose();
  if (!onnxModel) return;
  rssLoops.push(async () => {
    const frame = testFrame(512);
    emit({
      case: `care-shipped-rss-512x512-${onnxModel.runtime.name}`,
      ...runtimeFields(onnxModel.runtime),
      ...(await rssLoop(async () => (await onnxModel.restore(frame, 512, 512), 1), rssFrames)),
      note: 'whole path (CareModel.restore) on 512² frames: the same number of 2048² frames would take hours',
    });
    await onnxModel.dispose();
  });
}

const torchPeerNote = `(python3-torch, ${allocator.description})`;

async function careCsbdeep(torchProblem: string | null): Promise<void> {
  const model = buildCareNetwork(CSBDEEP_DEFAULT_CONFIG);
  const runtime = new TfjsRuntime(model);
  const restorer = new CareRestorer(runtime, CSBDEEP_DEFAULT_CONFIG, { lowPercent: 1, highPercent: 99.8 });
  const peer = torchProblem ? undefined : await TorchPeer.start(model, CSBDEEP_DEFAULT_CONFIG, allocator);
  if (peer)
    emit({
      case: 'care-csbdeep-default-agreement',
      maxAbsDifferenceVsPytorch: Number((await agreement(runtime, peer, 1)).toExponential(2)),
    });
  const size = 512;
  const frame = testFrame(size);
  const recorder = new RecordingRuntime(runtime);
  await new CareRestorer(recorder, CSBDEEP_DEFAULT_CONFIG, { lowPercent: 1, highPercent: 99.8 }).restore(frame, size, size);
  const floor = tfjsFloor(model, recorder.calls);
  const samples = await alternate(
    {
      ours: timeCalls(1, 1, () => restorer.restore(frame, size, size)),
      floor: timeFloor(floor, 1, 1),
      peer: peer ? () => peer.time(size, size, 1) : undefined,
    },
    reps,
  );
  emit({
    case: `care-csbdeep-default-${size}x${size}-${runtime.name}`,
    model: 'CSBDeep default (k5, 32 first filters), random weights',
    ...runtimeFields(runtime),
    ...figures(samples.ours, samples.floor, samples.peer),
    tiles: recorder.calls.length,
    uncertainty: restorer.uncertaintyMethod,
    floor: floor.description,
    peer: peer ? `PyTorch ${torchPeerNote} CPU, same network and weights` : `none: ${torchProblem}`,
    note: 'no ONNX file for this network (random weights, built in tfjs); 2048² takes about a minute per frame on one wasm thread, so 512² only',
  });
  await floor.dispose();
  await peer?.close();
  await runtime.dispose();
}

// ---------------------------------------------------------------------------------------------------- Deep-STORM

function stormFrames(count: number): Float32Array[] {
  return new BlinkingMovie({ seed: 164, widthPx: 64, heightPx: 64, densityPerUm2: 2, photonsPerFrame: 2000, backgroundPhotons: 20 })
    .take(count)
    .map((f) => Float32Array.from(f.pixels));
}

async function deepStorm(torchProblem: string | null): Promise<void> {
  const folder = new ModelStore().open(DEFAULT_DEEP_STORM_MODEL);
  const onnx = folder.rdf.weights.onnx;
  const engines: Array<{ engine: DeepStormEngine; onnxPath?: string }> = [];
  if (onnx && loadOnnxRuntime())
    engines.push({ engine: await openDeepStorm(DEFAULT_DEEP_STORM_MODEL, 'onnx'), onnxPath: join(folder.dir, onnx.source) });
  if (withTfjs) engines.push({ engine: await openDeepStorm(DEFAULT_DEEP_STORM_MODEL, 'tfjs') });
  if (engines.length === 0) return;
  const scope = engines[0].engine.scope;
  const side = 64;
  const grid = { widthPx: side, heightPx: side, pixelSizeNm: 100 };
  const frames = stormFrames(8);
  const peer =
    torchProblem || !onnx
      ? undefined
      : await OnnxTorchPeer.start(
          join(folder.dir, onnx.source),
          { testInput: join(folder.dir, 'test_input.npy'), testOutput: join(folder.dir, 'test_output.npy'), pre: 'none', post: 'none' },
          allocator,
        );
  const timers: Record<string, Timer | undefined> = {};
  const floors: Floor[] = [];
  const batches: Record<string, number[]> = {};
  let batchFrames = 0;
  for (const { engine, onnxPath } of engines) {
    const processor = new DeepStormProcessor(engine);
    const batch = frames.slice(0, processor.preferredBatch);
    batchFrames = batch.length;
    const recorder = new RecordingRuntime(engine.runtime);
    await new DeepStormProcessor({ ...engine, runtime: recorder }).process(batch, 0, grid);
    const floor = await floorFor(engine.runtime, onnxPath, recorder.calls);
    floors.push(floor);
    batches[engine.runtime.name] = recorder.calls.map((c) => c.shape[0]);
    let next = 0;
    // consecutive frames of the movie, batch after batch (slicing 4 references is noise beside a network call)
    timers[`ours:${engine.runtime.name}`] = timeCalls(FRAMES_PER_SLICE, batch.length, () => {
      const input = frames.slice(next % frames.length, (next % frames.length) + batch.length);
      next += batch.length;
      return processor.process(input, 0, grid);
    });
    timers[`floor:${engine.runtime.name}`] = timeFloor(floor, batch.length, FRAMES_PER_SLICE);
  }
  const job = {
    batch: batchFrames,
    upsampling: scope.upsampling,
    mean: scope.normalization.mean,
    std: scope.normalization.std,
    massPerEmitter: scope.massPerEmitter,
  };
  timers.peer = peer ? () => peer.timeDeepStorm(side, side, 1, job) : undefined;
  // Slices are short (a few batches): more rounds than the large cases, so that a stray slow slice does not move the median.
  const samples = await alternate(timers, 4 * Math.max(3, reps));
  engines.forEach(({ engine }, k) => {
    const name = engine.runtime.name;
    const f = figures(samples[`ours:${name}`], samples[`floor:${name}`], samples.peer);
    emit({
      case: `deep-storm-${side}x${side}-x${scope.upsampling}-${name}`,
      model: DEFAULT_DEEP_STORM_MODEL,
      ...runtimeFields(engine.runtime),
      ...f,
      frames: f.frames * batchFrames,
      batchFrames,
      networkInput: `${batchFrames}×${side * scope.upsampling}×${side * scope.upsampling}×1 per call (${batches[name].length} call(s))`,
      floor: floors[k].description,
      peer: peer
        ? `PyTorch ${torchPeerNote} CPU running the same ONNX graph and weights op by op: project, standardise, upsample, forward, clip, sum`
        : `none: ${torchProblem ?? 'no ONNX file'}`,
      peerMaxAbsDiffVsTestOutput: peer ? Number(peer.maxAbsDiffVsTestOutput.toExponential(2)) : null,
      peerThreads: peer?.threads ?? null,
    });
  });
  for (const f of floors) await f.dispose();
  await peer?.close();
  const onnxEngine = engines.find((e) => e.onnxPath)?.engine;
  for (const { engine } of engines) if (engine !== onnxEngine) await engine.runtime.dispose();
  if (!onnxEngine) return;
  rssLoops.push(async () => {
    const processor = new DeepStormProcessor(onnxEngine);
    let next = 0;
    emit({
      case: `deep-storm-rss-${side}x${side}-x${scope.upsampling}-${onnxEngine.runtime.name}`,
      ...runtimeFields(onnxEngine.runtime),
      ...(await rssLoop(async () => {
        const input = frames.slice(next % frames.length, (next % frames.length) + processor.preferredBatch);
        next += input.length;
        await processor.process(input, 0, grid);
        return input.length;
      }, rssFrames)),
      note: `whole path (DeepStormProcessor.process), batches of ${processor.preferredBatch} camera frames`,
    });
    await onnxEngine.runtime.dispose();
  });
}

// ---------------------------------------------------------------------------------------------------- Zoo U-Net

const ZOO_UNET = join(__dirname, '..', '..', 'shared', 'data', 'bioimage-model-zoo', 'unet2d-nuclei-broad');

async function zooUnet(torchProblem: string | null): Promise<void> {
  if (!existsSync(ZOO_UNET)) {
    process.stderr.write(`models bench: ${ZOO_UNET} is missing; no Zoo case\n`);
    return;
  }
  const size = 512;
  const frame = testFrame(size);
  const model = await ZooModel.open(ZOO_UNET);
  // The floor gets the input as our path hands it to the session: the package's pre-processing of the whole
  // frame; a 512² frame is one tile of the network's fixed 512² input, which the check below confirms.
  const tiles = (await model.predictImage(frame, size, size)).tiles;
  if (tiles !== 1) throw new Error(`the Zoo U-Net path ran ${tiles} tiles for a ${size}² frame; the floor below replays one`);
  const pre = applySteps(planes(1, size, size, frame.slice()), model.input.preprocessing);
  const floor = await onnxFloor(
    model,
    join(ZOO_UNET, 'weights.onnx'),
    [{ input: pre.data, shape: [1, size, size, 1] }],
    'nchw-from-planes',
  );
  const peer = torchProblem
    ? undefined
    : await OnnxTorchPeer.start(
        join(ZOO_UNET, 'weights.onnx'),
        { testInput: join(ZOO_UNET, 'test_input.npy'), testOutput: join(ZOO_UNET, 'test_output.npy'), pre: 'zmuv', post: 'sigmoid' },
        allocator,
      );
  const samples = await alternate(
    {
      ours: timeCalls(FRAMES_PER_SLICE, 1, () => model.predictImage(frame, size, size)),
      floor: timeFloor(floor, 1, FRAMES_PER_SLICE),
      peer: peer ? () => peer.time(size, size, 1) : undefined,
    },
    2 * Math.max(3, reps),
  );
  emit({
    case: `zoo-unet2d-nuclei-broad-${size}x${size}-${model.runtimeName}`,
    model: 'unet2d-nuclei-broad (BioImage Model Zoo)',
    ...runtimeFields(model.runtimeName),
    ...figures(samples.ours, samples.floor, samples.peer),
    tiles,
    tfjs: 'none: the package has no tfjs weights (ONNX and PyTorch state dict only)',
    floor: floor.description,
    peer: peer
      ? `PyTorch ${torchPeerNote} CPU running the same ONNX graph and weights op by op: normalise, forward, sigmoid`
      : `none: ${torchProblem}`,
    peerMaxAbsDiffVsTestOutput: peer ? Number(peer.maxAbsDiffVsTestOutput.toExponential(2)) : null,
    peerThreads: peer?.threads ?? null,
  });
  await floor.dispose();
  await peer?.close();
  rssLoops.push(async () => {
    emit({
      case: `zoo-unet2d-nuclei-broad-rss-${size}x${size}-${model.runtimeName}`,
      ...runtimeFields(model.runtimeName),
      ...(await rssLoop(async () => (await model.predictImage(frame, size, size), 1), rssFrames)),
      note: 'whole path (ZooModel.predictImage)',
    });
    await model.dispose();
  });
}

async function accuracy(): Promise<void> {
  const shippedDir = join(SHIPPED_MODELS_DIR, DEFAULT_CARE_MODEL);
  if (!existsSync(shippedDir)) return;
  const model = await loadCareModel(shippedDir);
  const training = model.scope.training as { seed?: number };
  // The held-out fields train:care evaluates on (its test seed), and a second, fresh set.
  for (const seed of [(training.seed ?? 2018) + 7919, 99_991]) {
    const test = simulateCarePairs({ seed, count: 6, sizePx: 256, doseRatios: [20, 50, 100], highDoseExposureMs: 200 });
    const pairs = test.map((t) => ({ raw: t.source.pixels, groundTruth: t.groundTruth.pixels, widthPx: 256, heightPx: 256 }));
    const rows = await compareDenoisers(pairs, { care: async (p) => (await model.restore(p.raw, p.widthPx, p.heightPx)).restored });
    for (const row of rows)
      emit({
        table: 'care-simulated-held-out',
        simulationSeed: seed,
        images: pairs.length,
        method: row.method,
        setting: row.setting,
        nrmse: round(row.nrmse, 4),
        psnrDb: round(row.psnrDb, 2),
        ssim: round(row.ssim, 4),
      });
  }
  await model.dispose();
}

async function main(): Promise<void> {
  const torchProblem = ensureTorch();
  if (parts.has('care') || (parts.has('storm') && withTfjs)) {
    const backend = await initTfjsBackend();
    process.stderr.write(
      `models bench: tfjs backend ${backend.backend}; training on ${backend.training.backend} (${backend.training.gradients})\n`,
    );
  }
  if (parts.has('care')) {
    await careShipped(torchProblem);
    if (withTfjs && !flag('skipCsbdeep')) await careCsbdeep(torchProblem);
  }
  if (parts.has('storm')) await deepStorm(torchProblem);
  if (parts.has('zoo')) await zooUnet(torchProblem);
  process.stderr.write(`models bench: speed cases done; RSS loops of ${rssFrames} frames next\n`);
  if (rssFrames > 0) for (const loop of rssLoops) await loop();
  if (parts.has('care') && !flag('skipAccuracy')) await accuracy();
  if (parts.has('care') && !flag('skipN2v')) {
    process.stderr.write('models bench: Noise2Void on the real time-lapse (a short training) — skip with --skip-n2v\n');
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, '..', 'scripts', 'evaluate-care-self-supervised.ts'),
        '--epochs',
        '6',
        '--steps-per-epoch',
        '20',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    for (const line of run.stdout.trim().split('\n').filter(Boolean)) emit(JSON.parse(line));
  }
}

main().catch((err) => {
  process.stderr.write(`models bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
