/**
 * `npm run bench -- acquisition [--frames 300] [--rss-frames 5000] [--size 2048] [--dir <path>]`
 *
 * Engine → raw writer throughput for 2048×2048 uint16 frames, through the real runner (timing, hooks, raw-first
 * publisher) and each writer (OME-TIFF BigTIFF, OME-Zarr v2 and v3 with shards), against the fastest raw write of the same bytes to the
 * same disk in the same run (the physical limit): Node's own large sequential writes flushed at the end, `dd …
 * oflag=direct` (the device's speed, the page cache bypassed) and `dd … conv=fsync`, alternating with ours in
 * rounds; ratio = our median MB/s over the best peer's median MB/s. The engine hands out
 * frames from memory so that the figure is the storage path's, not the camera's (the bridge bench measures that).
 * Camera-to-disk latency: from the engine yielding a frame to the writer having it. Peak RSS over `--rss-frames`
 * frames, sampled every 100 frames: flat after warm-up means growth ≈ 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AcquisitionEngine, EngineImage, SchedulableEvent } from '../src/acquisition/engine/engine';
import { AcquisitionRun } from '../src/acquisition/runner/runner';
import { z } from 'zod';
import { openOmeTiffWriter, openOmeZarrWriter, type DatasetLayoutInput, type FrameWriter } from '../src/acquisition/storage';
import { scriptOptions } from '../src/cli/run-script';
import { ddWrite, type DdRun } from './support/raw-disk-peer';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const OPTIONS = z.object({
  frames: count(300),
  rssFrames: count(5000),
  size: count(2048),
  rounds: count(3),
  pacedFps: z.coerce.number().positive().default(20),
  pacedFrames: count(100),
  dir: z.string().min(1).default(tmpdir()),
});
const USAGE =
  'npm run bench -- acquisition [--frames 300] [--rss-frames 5000] [--size 2048] [--rounds 3] [--paced-fps 20] [--paced-frames 100] [--dir <path>]';
const args = scriptOptions('bench acquisition', process.argv.slice(2), OPTIONS, USAGE).options;
const FRAMES = args.frames;
const RSS_FRAMES = args.rssFrames;
const SIZE = args.size;
const ROUNDS = args.rounds;
const PACED_FPS = args.pacedFps;
const PACED_FRAMES = args.pacedFrames;
const ROOT = mkdtempSync(join(args.dir, 'bench-acq-'));
const FRAME_BYTES = SIZE * SIZE * 2;

/** Four distinct noisy frames, handed out in turn: what a camera at the bus limit would give. */
const FRAMES_IN_MEMORY = Array.from({ length: 4 }, (_, k) => {
  const pixels = new Uint16Array(SIZE * SIZE);
  let seed = 1234 + k;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pixels[i] = 100 + (seed >>> 20);
  }
  return pixels;
});

class MemoryCameraEngine implements AcquisitionEngine<SchedulableEvent> {
  readonly yieldedAtMs = new Map<number, number>();
  private taken = 0;
  async setupSequence(): Promise<void> {}
  async setupEvent(): Promise<void> {}
  async teardownEvent(): Promise<void> {}
  async teardownSequence(): Promise<void> {}
  async *execEvent(event: SchedulableEvent): AsyncIterable<EngineImage> {
    this.yieldedAtMs.set(this.taken, performance.now());
    const pixels = FRAMES_IN_MEMORY[this.taken++ % FRAMES_IN_MEMORY.length];
    yield {
      pixels,
      meta: { index: event.index, width: SIZE, height: SIZE, bitDepth: 16, pixelSizeUm: 0.1, exposureMs: 10, stage: {}, camera: 'Memory' },
    };
  }
}

/** Events as fast as the path takes them, or paced at `fps` like a camera streaming at that rate. */
function* events(count: number, fps?: number): Iterable<SchedulableEvent> {
  for (let t = 0; t < count; t++) yield { index: { t, c: 0, z: 0 }, ...(fps ? { minStartTimeS: t / fps } : {}) };
}

const layout = (frames: number): DatasetLayoutInput => ({
  sizes: { t: frames, c: 1, z: 1 },
  dtype: 'uint16',
  widthPx: SIZE,
  heightPx: SIZE,
  pixelSizeUm: 0.1,
});

/** OME-TIFF; OME-Zarr NGFF 0.4 on zarr v2 (a file per plane); OME-Zarr NGFF 0.5 on zarr v3 shards. */
const WRITER_KINDS = ['ome-tiff', 'ome-zarr', 'ome-zarr-v3'] as const;
type WriterKind = (typeof WRITER_KINDS)[number];
const extension = (kind: WriterKind) => (kind === 'ome-tiff' ? '.ome.tif' : '.ome.zarr');
const openWriter = (kind: WriterKind, path: string, frames: number): Promise<FrameWriter> =>
  kind === 'ome-tiff'
    ? openOmeTiffWriter(`${path}.ome.tif`, layout(frames))
    : openOmeZarrWriter(`${path}.ome.zarr`, layout(frames), kind === 'ome-zarr-v3' ? { zarrVersion: 3 } : {});

interface RunFigures {
  seconds: number;
  latenciesMs: number[];
  rssSamplesMb: number[];
  heapSamplesMb: number[];
}

async function acquire(kind: WriterKind, frames: number, path: string, fps?: number): Promise<RunFigures> {
  const engine = new MemoryCameraEngine();
  const writer = await openWriter(kind, path, frames);
  const run = new AcquisitionRun({ events: events(frames, fps), engine, sink: writer, framesPlanned: frames });
  const latenciesMs: number[] = [];
  const rssSamplesMb: number[] = [];
  const heapSamplesMb: number[] = [];
  run.frames$.subscribe((frame) => {
    latenciesMs.push(performance.now() - engine.yieldedAtMs.get(frame.meta.sequence)!);
    engine.yieldedAtMs.delete(frame.meta.sequence);
    if (frame.meta.sequence % 100 === 0) {
      rssSamplesMb.push(process.memoryUsage.rss() / 2 ** 20);
      heapSamplesMb.push(process.memoryUsage().heapUsed / 2 ** 20);
    }
  });
  const started = performance.now();
  const progress = await run.start();
  const seconds = (performance.now() - started) / 1000;
  if (progress.state !== 'finished') throw new Error(`${kind} run ${progress.state}: ${progress.error}`);
  return { seconds, latenciesMs, rssSamplesMb, heapSamplesMb };
}

/** The physical limit: the same bytes written sequentially to one file on the same disk, flushed at the end. */
async function rawWrite(frames: number, path: string): Promise<number> {
  const started = performance.now();
  const file = await open(path, 'w');
  for (let k = 0; k < frames; k++) await file.write(FRAMES_IN_MEMORY[k % FRAMES_IN_MEMORY.length]);
  await file.sync();
  await file.close();
  return (performance.now() - started) / 1000;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'acquisition', ...line })}\n`);

async function main(): Promise<void> {
  const mb = (frames: number) => (frames * FRAME_BYTES) / 1e6;
  try {
    for (const kind of WRITER_KINDS) {
      // alternate the raw peers and ours, ROUNDS rounds each, and keep the medians: the disk's write-back cache drifts
      const rawRuns: number[] = [];
      const directRuns: DdRun[] = [];
      const bufferedRuns: DdRun[] = [];
      const ourRuns: RunFigures[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        rawRuns.push(await rawWrite(FRAMES, join(ROOT, 'raw.bin')));
        rmSync(join(ROOT, 'raw.bin'));
        directRuns.push(await ddWrite(join(ROOT, 'dd-direct.bin'), FRAMES * FRAME_BYTES, 'direct'));
        bufferedRuns.push(await ddWrite(join(ROOT, 'dd-buffered.bin'), FRAMES * FRAME_BYTES, 'buffered'));
        ourRuns.push(await acquire(kind, FRAMES, join(ROOT, kind)));
        rmSync(join(ROOT, kind + extension(kind)), { recursive: true });
      }
      const mbPerS = (bytes: number, seconds: number) => bytes / 1e6 / seconds;
      const figures = (values: number[]) => ({ median: round(percentile(values, 50)), best: round(Math.max(...values)) });
      const peers = {
        node: figures(rawRuns.map((s) => mbPerS(FRAMES * FRAME_BYTES, s))),
        ddDirect: figures(directRuns.map((r) => mbPerS(r.bytes, r.seconds))),
        ddBuffered: figures(bufferedRuns.map((r) => mbPerS(r.bytes, r.seconds))),
      };
      const [bestPeer, bestPeerFigures] = Object.entries(peers).reduce((a, b) => (b[1].median > a[1].median ? b : a));
      const ourMbPerS = ourRuns.map((r) => mbPerS(FRAMES * FRAME_BYTES, r.seconds));
      const ours = [...ourRuns].sort((a, b) => a.seconds - b.seconds)[Math.floor(ourRuns.length / 2)];
      const paced = await acquire(kind, PACED_FRAMES, join(ROOT, `${kind}-paced`), PACED_FPS);
      rmSync(join(ROOT, `${kind}-paced` + extension(kind)), { recursive: true });
      emit({
        case: `${kind}-${SIZE}`,
        frames: FRAMES,
        fps: round(FRAMES / ours.seconds),
        mbPerS: round(mb(FRAMES) / ours.seconds),
        mbPerSMin: round(Math.min(...ourMbPerS)),
        peers,
        peer: bestPeer,
        ddCommand: directRuns[0].command,
        rounds: ROUNDS,
        // camera-to-disk at a camera's pace (PACED_FPS), and with the queue full (frames as fast as memory gives them)
        pacedFps: PACED_FPS,
        latencyP50Ms: round(percentile(paced.latenciesMs, 50), 2),
        latencyP99Ms: round(percentile(paced.latenciesMs, 99), 2),
        saturatedLatencyP50Ms: round(percentile(ours.latenciesMs, 50)),
        ratio: round(mb(FRAMES) / ours.seconds / bestPeerFigures.median, 3),
      });
    }
    for (const kind of WRITER_KINDS) {
      const ours = await acquire(kind, RSS_FRAMES, join(ROOT, 'rss'));
      rmSync(join(ROOT, `rss${extension(kind)}`), { recursive: true });
      const warm = ours.rssSamplesMb.slice(Math.min(5, ours.rssSamplesMb.length - 1));
      const afterWarmUpMb = warm[0];
      emit({
        case: `rss-${kind}-${SIZE}`,
        frames: RSS_FRAMES,
        gbWritten: round(mb(RSS_FRAMES) / 1000, 2),
        fps: round(RSS_FRAMES / ours.seconds),
        rssAfterWarmUpMb: round(afterWarmUpMb),
        rssPeakMb: round(Math.max(...ours.rssSamplesMb)),
        rssEndMb: round(ours.rssSamplesMb[ours.rssSamplesMb.length - 1]),
        // the JavaScript heap alone (V8's live objects), beside the process's resident memory
        heapAfterWarmUpMb: round(ours.heapSamplesMb[Math.min(5, ours.heapSamplesMb.length - 1)]),
        heapEndMb: round(ours.heapSamplesMb[ours.heapSamplesMb.length - 1]),
        // the limit is no growth: ratio = warm-up RSS over peak RSS (1 when flat)
        ratio: round(afterWarmUpMb / Math.max(...warm), 3),
      });
    }
  } finally {
    rmSync(ROOT, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench acquisition failed: ${(err as Error).stack ?? String(err)}\n`);
  rmSync(ROOT, { recursive: true, force: true });
  process.exit(1);
});
