/**
 * Pieces of the models benchmark that measure our paths against their floor: a runtime wrapper that records the
 * exact network calls our path makes (normalised tiles or batches, as handed to the runtime), the raw calls of the
 * same calls replayed (ONNX Runtime `session.run`, tfjs `model.predict`), rounds that alternate several timers so
 * that load from other processes falls on all alike, and an RSS loop.
 */
import * as tf from '@tensorflow/tfjs';
import type { InferenceOutput, InferenceRuntime, Nhwc } from '../../src/models/runtime/inference-runtime';
import { loadOnnxRuntime } from '../../src/models/runtime/onnx-runtime';

export interface RecordedCall {
  readonly input: Float32Array;
  readonly shape: Nhwc;
}

/** Forwards to a runtime and keeps a copy of every input it is given (the runtime stays the caller's to dispose). */
export class RecordingRuntime implements InferenceRuntime {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly inner: InferenceRuntime) {}

  get name(): string {
    return this.inner.name;
  }

  predict(input: Float32Array, shape: Nhwc): Promise<InferenceOutput> {
    this.calls.push({ input: input.slice(), shape });
    return this.inner.predict(input, shape);
  }

  async dispose(): Promise<void> {}
}

/** Raw network calls replayed: one `run()` makes every recorded call once and returns the milliseconds spent. */
export interface Floor {
  readonly description: string;
  run(): Promise<number>;
  dispose(): Promise<void>;
}

type OrtSession = import('onnxruntime-node').InferenceSession;

/**
 * The ONNX Runtime session behind our runtime object (OnnxRuntime's `session`, OnnxTensorSession's inside
 * ZooModel's), read past TypeScript's `private`: the floor then runs on the very session, options and thread pool
 * our path uses. A second session in the same process would not do: on 2 cores the idle pool of one session spins
 * while the other runs, which made either look up to 40 % slower depending on the order.
 */
export function sessionBehind(owner: object): OrtSession | undefined {
  let s: unknown = (owner as { session?: unknown }).session;
  if (s && typeof (s as { run?: unknown }).run === 'function' && !(s as { inputNames?: unknown }).inputNames)
    s = (s as { session?: unknown }).session;
  return s && Array.isArray((s as { inputNames?: unknown }).inputNames) ? (s as OrtSession) : undefined;
}

/**
 * `session.run` on input tensors made once: on our path's own session when `sessionBehind` finds it, else on a
 * new session of the ONNX file with our runtimes' options (CPU provider, graph optimisation 'all', ORT's default
 * intra-op threads).
 */
export async function onnxFloor(
  owner: object,
  onnxPath: string,
  calls: readonly RecordedCall[],
  layout: 'as-recorded' | 'nchw-from-planes' = 'as-recorded',
): Promise<Floor> {
  const ort = loadOnnxRuntime();
  if (!ort) throw new Error('onnxruntime-node does not load here; no ONNX floor');
  const shared = sessionBehind(owner);
  const session = shared ?? (await ort.InferenceSession.create(onnxPath, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' }));
  const feeds = calls.map((c) => ({
    [session.inputNames[0]]: new ort.Tensor(
      'float32',
      c.input,
      layout === 'as-recorded' ? [...c.shape] : [c.shape[0], c.shape[3], c.shape[1], c.shape[2]],
    ),
  }));
  const what = calls.length === 1 ? 'normalised input' : `${calls.length} normalised tiles`;
  return {
    description: shared
      ? `raw session.run on our path's own ONNX Runtime session (same file, options, thread pool) of the same ${what}`
      : `raw session.run of the same ONNX file (a second session, same options) on the same ${what}`,
    async run() {
      const t = performance.now();
      for (const f of feeds) {
        const out = await session.run(f);
        for (const v of Object.values(out)) v.dispose?.();
      }
      return performance.now() - t;
    },
    dispose: async () => {
      if (!shared) await session.release();
    },
  };
}

/** tfjs: `model.predict` and the download of its output, on input tensors made once. */
export function tfjsFloor(model: tf.LayersModel, calls: readonly RecordedCall[]): Floor {
  const inputs = calls.map((c) => tf.tensor4d(c.input, [...c.shape]));
  return {
    description: `raw model.predict + data() of the same tfjs model on the same ${calls.length === 1 ? 'normalised input' : `${calls.length} normalised tiles`}`,
    async run() {
      const t = performance.now();
      for (const x of inputs) {
        const y = model.predict(x) as tf.Tensor;
        await y.data();
        y.dispose();
      }
      return performance.now() - t;
    },
    dispose: async () => inputs.forEach((x) => x.dispose()),
  };
}

/** One slice of a round: returns milliseconds per frame, one value per frame or batch it timed. */
export type Timer = () => Promise<number[]>;

/** Lets other processes' tails (a peer freeing a 2048² forward pass, idle thread pools spinning) pass between slices. */
const SETTLE_MS = 250;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/**
 * The order of the timers in round `round`: a Williams design (balanced Latin square). Over n rounds (2n when n is
 * odd) every timer comes straight after every other timer equally often. Rotating one fixed order would not do: it
 * keeps the cyclic neighbours, so the same timer always followed the PyTorch peer, whose idle OpenMP threads keep
 * spinning a while after it answers, and that timer alone paid for them.
 */
export function balancedOrder(n: number, round: number): number[] {
  const first: number[] = [];
  for (let low = 0, high = n - 1; first.length < n;) {
    first.push(low++);
    if (first.length < n) first.push(high--);
  }
  const order = first.map((k) => (k + round) % n);
  return n % 2 === 1 && Math.floor(round / n) % 2 === 1 ? order.reverse() : order;
}

/**
 * Warms each timer up (`warmups` slices; the PyTorch peer one), then runs `rounds` rounds of all timers (one slice
 * each, a pause between slices, in the balanced order of `balancedOrder`); samples per timer name. Our paths are
 * JavaScript loops around the network: V8 optimises them only after a few frames, and a live stream runs thousands,
 * so steady state is what is measured.
 */
export async function alternate(
  timers: Readonly<Record<string, Timer | undefined>>,
  rounds: number,
  warmups = 5,
): Promise<Record<string, number[]>> {
  const names = Object.keys(timers).filter((k) => timers[k]);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (const k of names) for (let w = 0; w < (k === 'peer' ? 1 : warmups); w++) await timers[k]!();
  for (let r = 0; r < rounds; r++) {
    for (const j of balancedOrder(names.length, r)) {
      const k = names[j];
      await settle();
      samples[k].push(...(await timers[k]!()));
    }
  }
  return samples;
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export interface RssReport {
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly rssPeakMb: number;
  readonly rssFrames: number;
  /** RSS after the first tenth of the frames, when allocators have reached their working size. */
  readonly rssAfterWarmupMb: number;
  readonly rssGrowthAfterWarmupMb: number;
  readonly rssFlat: boolean;
  readonly loopMsPerFrame: number;
}

/** Growth after warm-up below this is allocator noise, not a leak (a 512² float32 frame is 1 MB). */
const FLAT_TOLERANCE_MB = 16;

/**
 * Pushes `frames` frames through `step` (which processes some frames and says how many), sampling RSS every 100
 * frames; flat means no more than FLAT_TOLERANCE_MB of growth from the end of the first tenth to the end.
 */
export async function rssLoop(step: () => Promise<number>, frames: number): Promise<RssReport> {
  const rssMb = () => process.memoryUsage().rss / 2 ** 20;
  const rssStartMb = rssMb();
  let peak = rssStartMb;
  let afterWarmup = rssStartMb;
  const warmupFrames = Math.max(100, Math.floor(frames / 10));
  let done = 0;
  let nextSample = 100;
  const started = performance.now();
  while (done < frames) {
    done += await step();
    if (done >= nextSample || done >= frames) {
      const now = rssMb();
      peak = Math.max(peak, now);
      if (done - (done % 100) <= warmupFrames) afterWarmup = now;
      nextSample = (Math.floor(done / 100) + 1) * 100;
    }
  }
  const rssEndMb = rssMb();
  const round = (v: number) => Number(v.toFixed(1));
  return {
    rssStartMb: round(rssStartMb),
    rssEndMb: round(rssEndMb),
    rssPeakMb: round(Math.max(peak, rssEndMb)),
    rssFrames: done,
    rssAfterWarmupMb: round(afterWarmup),
    rssGrowthAfterWarmupMb: round(rssEndMb - afterWarmup),
    rssFlat: rssEndMb - afterWarmup <= FLAT_TOLERANCE_MB,
    loopMsPerFrame: round((performance.now() - started) / done),
  };
}
