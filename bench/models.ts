/**
 * `npm run bench -- models [--reps 3] [--skip-accuracy] [--skip-n2v]`: CARE milliseconds per 512×512 and per
 * 2048×2048 frame (percentile normalisation, tiled prediction, uncertainty, back to raw units) on each runtime
 * present (tfjs backend chosen at start-up; ONNX Runtime when the model folder has ONNX weights), for the shipped
 * model and for CSBDeep's default network. The peer, in the same run on the same CPU, is the same network with the
 * same weights in PyTorch (Debian's python3-torch, installed with apt-get if missing): ratio = peer ms / our ms.
 * Ours and the peer alternate in rounds so that load from other processes falls on both alike. Then the accuracy
 * tables: the shipped model against raw, Gaussian and median filters on held-out simulated fields, and Noise2Void
 * on the real EMCCD time-lapse by the cross-frame measure. One JSON line per case on stdout.
 * The Zoo U-Net case (`--zoo-only` runs it alone, `--skip-zoo` leaves it out, `--zoo-frames N`, default 10000):
 * the BioImage Model Zoo package unet2d-nuclei-broad from ../shared/data on 512² frames through our whole path
 * (ZooModel: zero-mean-unit-variance over the frame, tiling, sigmoid) against raw `session.run` of the same ONNX
 * file on the same input (the floor: ratioToFloor = floor ms / ours), the same graph and weights in PyTorch
 * (bench/zoo-torch-peer.ts: ratio = peer ms / ours), RSS at the start and after N frames.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CSBDEEP_DEFAULT_CONFIG, SHIPPED_CARE_CONFIG, type CareConfig } from '../src/models/care/care-config';
import { DEFAULT_CARE_MODEL, loadCareModel } from '../src/models/care/care-model';
import { buildCareNetwork } from '../src/models/care/care-network';
import { CareRestorer } from '../src/models/care/care-restorer';
import { compareDenoisers } from '../src/models/care/evaluation/compare-denoisers';
import type { InferenceRuntime } from '../src/models/runtime/inference-runtime';
import { initTfjsBackend } from '../src/models/runtime/tfjs-backend';
import { TfjsRuntime } from '../src/models/runtime/tfjs-runtime';
import { SHIPPED_MODELS_DIR } from '../src/models/store/model-store';
import { simulateCarePairs } from '../scripts/care-training-data';
import { ensureTorch, TorchPeer } from '../scripts/care-torch-peer';
import { loadOnnxRuntime } from '../src/models/runtime/onnx-runtime';
import { ZooModel } from '../src/models/zoo/zoo-model';
import { ZooTorchPeer } from './zoo-torch-peer';

const flag = (name: string) => process.argv.includes(`--${name}`);
const repsArg = process.argv.indexOf('--reps');
const reps = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 3;
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${process.argv[repsArg + 1]}`);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (v: number, digits = 1) => Number(v.toFixed(digits));
const emit = (line: object) => process.stdout.write(`${JSON.stringify({ bench: 'models', ...line })}\n`);

function testFrame(sizePx: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: sizePx * sizePx }, (_, i) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return 100 + 40 * Math.sin((i % sizePx) / 9) * Math.cos(Math.floor(i / sizePx) / 13) + 20 * (s / 2 ** 32);
  });
}

async function timeOurs(restorer: CareRestorer, sizePx: number, count: number): Promise<number[]> {
  const frame = testFrame(sizePx);
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await restorer.restore(frame, sizePx, sizePx);
    ms.push(performance.now() - t);
  }
  return ms;
}

/** Largest difference between our network's and PyTorch's outputs on the same normalised input. */
async function agreement(runtime: InferenceRuntime, peer: TorchPeer, channels: number): Promise<number> {
  const size = 64;
  const input = testFrame(size).map((v) => (v - 100) / 60);
  const ours = (await runtime.predict(input, [1, size, size, 1])).data;
  const theirs = await peer.predict(input, size, size);
  let max = 0;
  for (let c = 0; c < channels; c++) for (let i = 0; i < size * size; i++) max = Math.max(max, Math.abs(ours[i * channels + c] - theirs[c * size * size + i]));
  return max;
}

interface NetworkCase {
  readonly label: string;
  readonly config: CareConfig;
  readonly model: tf.LayersModel;
  readonly runtimes: ReadonlyArray<{ readonly runtime: InferenceRuntime; readonly sizes: readonly number[] }>;
}

async function networkCases(): Promise<NetworkCase[]> {
  const cases: NetworkCase[] = [];
  const shippedDir = join(SHIPPED_MODELS_DIR, DEFAULT_CARE_MODEL);
  if (existsSync(shippedDir)) {
    const tfjsModel = await loadCareModel(shippedDir, { runtime: 'tfjs' });
    const runtimes: Array<{ runtime: InferenceRuntime; sizes: number[] }> = [{ runtime: tfjsModel.runtime, sizes: [512, 2048] }];
    if (tfjsModel.folder.rdf.weights.onnx) runtimes.push({ runtime: (await loadCareModel(shippedDir, { runtime: 'onnx' })).runtime, sizes: [512, 2048] });
    cases.push({ label: 'care-shipped', config: tfjsModel.scope.architecture, model: (tfjsModel.runtime as TfjsRuntime).model, runtimes });
  } else {
    process.stderr.write(`models bench: ${shippedDir} is missing (run npm run train:care); timing the shipped configuration with random weights\n`);
    const model = buildCareNetwork(SHIPPED_CARE_CONFIG);
    cases.push({ label: 'care-shipped-untrained', config: SHIPPED_CARE_CONFIG, model, runtimes: [{ runtime: new TfjsRuntime(model), sizes: [512, 2048] }] });
  }
  const csbdeep = buildCareNetwork(CSBDEEP_DEFAULT_CONFIG);
  // CSBDeep's default network on a 2048² frame takes about a minute per frame on one wasm thread: 512² only.
  cases.push({ label: 'care-csbdeep-default', config: CSBDEEP_DEFAULT_CONFIG, model: csbdeep, runtimes: [{ runtime: new TfjsRuntime(csbdeep), sizes: [512] }] });
  return cases;
}

async function speed(): Promise<void> {
  const torchProblem = ensureTorch();
  for (const network of await networkCases()) {
    const peer = torchProblem ? undefined : await TorchPeer.start(network.model, network.config);
    const outputChannels = network.config.probabilistic ? 2 : 1;
    if (peer) emit({ case: `${network.label}-agreement`, maxAbsDifferenceVsPytorch: Number((await agreement(network.runtimes[0].runtime, peer, outputChannels)).toExponential(2)) });
    for (const { runtime, sizes } of network.runtimes) {
      const restorer = new CareRestorer(runtime, network.config, { lowPercent: 1, highPercent: 99.8 });
      for (const size of sizes) {
        const rounds = size >= 2048 ? 1 : Math.max(1, reps);
        const perRound = size >= 2048 ? 1 : 2;
        await timeOurs(restorer, size, 1); // warm-up
        if (peer) await peer.time(size, size, 1);
        const ours: number[] = [];
        const theirs: number[] = [];
        for (let r = 0; r < rounds; r++) {
          ours.push(...(await timeOurs(restorer, size, perRound)));
          if (peer) theirs.push(...(await peer.time(size, size, perRound)));
        }
        const msPerFrame = median(ours);
        const peerMsPerFrame = peer ? median(theirs) : null;
        emit({
          case: `${network.label}-${size}x${size}-${runtime.name}`,
          msPerFrame: round(msPerFrame),
          peerMsPerFrame: peerMsPerFrame === null ? null : round(peerMsPerFrame),
          ratio: peerMsPerFrame === null ? null : round(peerMsPerFrame / msPerFrame, 3),
          peer: peer ? 'PyTorch (python3-torch) CPU, same network and weights' : `none: ${torchProblem}`,
          tfjsBackend: tf.getBackend(),
          frames: ours.length,
        });
      }
    }
    await peer?.close();
    for (const { runtime } of network.runtimes) await runtime.dispose();
  }
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
    for (const row of rows) emit({ table: 'care-simulated-held-out', simulationSeed: seed, images: pairs.length, method: row.method, setting: row.setting, nrmse: round(row.nrmse, 4), psnrDb: round(row.psnrDb, 2), ssim: round(row.ssim, 4) });
  }
  await model.dispose();
}

const ZOO_UNET = join(__dirname, '..', '..', 'shared', 'data', 'bioimage-model-zoo', 'unet2d-nuclei-broad');

async function zooUnet(): Promise<void> {
  if (!existsSync(ZOO_UNET)) {
    process.stderr.write(`models bench: ${ZOO_UNET} is missing; no Zoo case\n`);
    return;
  }
  const framesArg = process.argv.indexOf('--zoo-frames');
  const frames = framesArg > 0 ? Number(process.argv[framesArg + 1]) : 10_000;
  const size = 512;
  const frame = testFrame(size);
  const rssMb = () => round(process.memoryUsage().rss / 2 ** 20);
  const model = await ZooModel.open(ZOO_UNET);
  const ort = loadOnnxRuntime()!;
  const session = await ort.InferenceSession.create(join(ZOO_UNET, 'weights.onnx'), { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  // The floor gets the input already normalised, as our path hands it to the session.
  let mean = 0;
  for (const v of frame) mean += v / frame.length;
  let variance = 0;
  for (const v of frame) variance += (v - mean) ** 2 / frame.length;
  const normalised = frame.map((v) => (v - mean) / (Math.sqrt(variance) + 1e-6));
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', normalised, [1, 1, size, size]) };
  const timeOursOnce = async () => {
    const t = performance.now();
    await model.predictImage(frame, size, size);
    return performance.now() - t;
  };
  const timeFloorOnce = async () => {
    const t = performance.now();
    await session.run(feeds);
    return performance.now() - t;
  };
  const torchProblem = ensureTorch();
  const peer = torchProblem ? undefined : await ZooTorchPeer.start(join(ZOO_UNET, 'weights.onnx'), join(ZOO_UNET, 'test_input.npy'), join(ZOO_UNET, 'test_output.npy'));
  await timeOursOnce();
  await timeFloorOnce();
  if (peer) await peer.time(size, size, 1);
  const ours: number[] = [];
  const floor: number[] = [];
  const theirs: number[] = [];
  // Ours, the floor and the peer alternate, so that load from other processes falls on all alike.
  for (let r = 0; r < Math.max(3, reps); r++) {
    ours.push(await timeOursOnce(), await timeOursOnce());
    floor.push(await timeFloorOnce(), await timeFloorOnce());
    if (peer) theirs.push(...(await peer.time(size, size, 2)));
  }
  await session.release();
  const peerMaxDiff = peer?.maxAbsDiffVsTestOutput;
  await peer?.close();
  const rssStartMb = rssMb();
  const startedMs = performance.now();
  for (let i = 0; i < frames; i++) await model.predictImage(frame, size, size);
  const loopMsPerFrame = (performance.now() - startedMs) / Math.max(1, frames);
  emit({
    case: `zoo-unet2d-nuclei-broad-${size}x${size}-${model.runtimeName}`,
    msPerFrame: round(median(ours)),
    floorMsPerFrame: round(median(floor)),
    ratioToFloor: round(median(floor) / median(ours), 3),
    peerMsPerFrame: peer ? round(median(theirs)) : null,
    ratio: peer ? round(median(theirs) / median(ours), 3) : null,
    peer: peer ? 'PyTorch (python3-torch) CPU running the same ONNX graph and weights op by op' : `none: ${torchProblem}`,
    peerMaxAbsDiffVsTestOutput: peerMaxDiff === undefined ? null : Number(peerMaxDiff.toExponential(2)),
    frames: ours.length,
    rssStartMb,
    rssAfterFramesMb: rssMb(),
    rssFrames: frames,
    loopMsPerFrame: round(loopMsPerFrame),
  });
  await model.dispose();
}

async function main(): Promise<void> {
  if (flag('zoo-only')) return zooUnet();
  const backend = await initTfjsBackend();
  process.stderr.write(`models bench: tfjs backend ${backend.backend}; training on ${backend.training.backend} (${backend.training.gradients})\n`);
  await speed();
  if (!flag('skip-zoo')) await zooUnet();
  if (!flag('skip-accuracy')) await accuracy();
  if (!flag('skip-n2v')) {
    process.stderr.write('models bench: Noise2Void on the real time-lapse (a short training) — skip with --skip-n2v\n');
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'scripts', 'evaluate-care-self-supervised.ts'), '--epochs', '6', '--steps-per-epoch', '20'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    for (const line of run.stdout.trim().split('\n').filter(Boolean)) emit(JSON.parse(line));
  }
}

main().catch((err) => {
  process.stderr.write(`models bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
