/**
 * `npm run bench -- storm [--model <name|folder>] [--runtime auto|onnx|tfjs] [--quick]`: Deep-STORM against the
 * classical localisation baseline on simulated blinking-emitter movies (100 nm pixels, PSF σ ≈ 100 nm).
 * - speed-<W>x<H>: frames per second of each method on the runtime present; ratio = baseline time / Deep-STORM
 *   time per frame (> 1: Deep-STORM faster). The two alternate in short rounds so other load falls on both alike.
 * - accuracy-<density>: Jaccard, recall, precision and lateral RMSE at 100 nm tolerance against the ground truth,
 *   for three densities (emitters per µm²).
 * - live-64x64: frames pushed at a camera rate through the live branch; what was processed, skipped, and the lag.
 * One JSON line per case on stdout.
 */
import { Subject, lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import { BlinkingMovie, type BlinkingFrame } from '../simulators/sample/blinking';
import type { Frame } from '../src/acquisition/frame';
import { DEFAULT_DEEP_STORM_MODEL, openDeepStorm } from '../src/models/smlm/deep-storm/load-deep-storm';
import { stormLive } from '../src/models/smlm/live/storm-live';
import type { Localisation } from '../src/models/smlm/localisation';
import { scoreLocalisations } from '../src/models/smlm/metrics/match-localisations';
import { ClassicalProcessor, DeepStormProcessor, type FrameBatchProcessor } from '../src/models/smlm/reconstruct/frame-processor';
import { scriptOptions } from '../src/cli/run-script';

const OPTIONS = z.object({
  model: z.string().min(1).default(DEFAULT_DEEP_STORM_MODEL),
  runtime: z.enum(['auto', 'onnx', 'tfjs']).default('auto'),
  quick: z.boolean().default(false),
});
const args = scriptOptions(
  'bench storm',
  process.argv.slice(2),
  OPTIONS,
  'npm run bench -- storm [--model <name|folder>] [--runtime auto|onnx|tfjs] [--quick]',
).options;
const quick = args.quick;
const PIXEL_NM = 100;

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: 'storm', ...line })}\n`);
}

function movie(side: number, density: number, count: number, seed: number): BlinkingFrame[] {
  return new BlinkingMovie({
    seed,
    widthPx: side,
    heightPx: side,
    densityPerUm2: density,
    photonsPerFrame: 2000,
    backgroundPhotons: 20,
  }).take(count);
}

/** Seconds per frame of each processor over the same frames, alternating rounds of one batch each. */
async function timeAlternating(
  processors: readonly FrameBatchProcessor[],
  frames: readonly BlinkingFrame[],
  side: number,
  rounds: number,
): Promise<number[]> {
  const grid = { widthPx: side, heightPx: side, pixelSizeNm: PIXEL_NM };
  const spent = processors.map(() => 0);
  const done = processors.map(() => 0);
  // Warm-up with a full batch: runtimes set up their buffers for a batch shape on its first run.
  for (const p of processors)
    await p.process(
      frames.slice(0, p.preferredBatch).map((f) => f.pixels),
      0,
      grid,
    );
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < processors.length; k++) {
      const p = processors[k];
      const batch = Array.from({ length: p.preferredBatch }, (_, i) => frames[(r * p.preferredBatch + i) % frames.length].pixels);
      const start = performance.now();
      await p.process(batch, 0, grid);
      spent[k] += (performance.now() - start) / 1000;
      done[k] += batch.length;
    }
  }
  return spent.map((s, k) => s / done[k]);
}

async function main(): Promise<void> {
  const engine = await openDeepStorm(args.model, args.runtime);
  // The live and speed cases build the image only; the accuracy cases also extract per-frame localisations.
  const deepStorm = new DeepStormProcessor(engine);
  const deepStormLocalising = new DeepStormProcessor(engine, true);
  const classical = new ClassicalProcessor(engine.scope.upsampling);
  const common = {
    model: engine.name,
    runtime: engine.runtime.name,
    filters: engine.scope.architecture.filters.join('-'),
    cpus: require('node:os').cpus().length,
  };

  for (const [side, rounds] of [
    [64, quick ? 3 : 8],
    [256, quick ? 1 : 2],
  ] as const) {
    const frames = movie(side, 2, 8, 100 + side);
    const [dsSeconds, clSeconds] = await timeAlternating([deepStorm, classical], frames, side, rounds);
    emit({
      case: `speed-${side}x${side}`,
      ...common,
      fps: 1 / dsSeconds,
      baselineFps: 1 / clSeconds,
      ratio: clSeconds / dsSeconds,
      framesTimed: rounds * deepStorm.preferredBatch,
      densityPerUm2: 2,
    });
  }

  for (const density of [0.5, 2, 6]) {
    const frames = movie(64, density, quick ? 8 : 20, 200 + density * 10);
    const grid = { widthPx: 64, heightPx: 64, pixelSizeNm: PIXEL_NM };
    const truth = frames.flatMap((f) => f.emitters);
    const score = async (p: FrameBatchProcessor) => {
      const locs: Localisation[] = [];
      const start = performance.now();
      for (let i = 0; i < frames.length; i += p.preferredBatch) {
        const batch = frames.slice(i, i + p.preferredBatch);
        locs.push(
          ...(
            await p.process(
              batch.map((f) => f.pixels),
              i,
              grid,
            )
          ).localisations,
        );
      }
      const fps = frames.length / ((performance.now() - start) / 1000);
      const s = scoreLocalisations(locs, truth, 100);
      return { fps, jaccard: s.jaccard, recall: s.recall, precision: s.precision, rmseNm: s.rmseNm };
    };
    const ds = await score(deepStormLocalising);
    const cl = await score(classical);
    emit({
      case: `accuracy-density-${density}`,
      ...common,
      densityPerUm2: density,
      toleranceNm: 100,
      frames: frames.length,
      emitters: truth.length,
      fps: ds.fps,
      baselineFps: cl.fps,
      ratio: ds.fps / cl.fps,
      deepStorm: ds,
      baseline: cl,
    });
  }

  const cameraFps = 50;
  const liveFrames = movie(64, 2, quick ? 40 : 100, 300);
  const frames$ = new Subject<Frame>();
  const images = lastValueFrom(
    frames$.pipe(stormLive({ processor: deepStorm, batchFrames: 4, queueBatches: 2, qualityEveryMs: 2000 }), toArray()),
  );
  const start = Date.now();
  // Frames are due by the wall clock, as a camera's buffer fills while this process is busy; all that are due are
  // delivered at once, so the camera is never slowed by the branch.
  for (let sent = 0; sent < liveFrames.length;) {
    const due = Math.min(liveFrames.length, Math.floor(((Date.now() - start) * cameraFps) / 1000) + 1);
    for (; sent < due; sent++) {
      const f = liveFrames[sent];
      const wallTimeMs = start + (sent * 1000) / cameraFps;
      frames$.next({
        pixels: f.pixels,
        meta: {
          acquisitionId: 'bench',
          sequence: sent,
          index: { t: sent },
          width: 64,
          height: 64,
          bitDepth: 16,
          pixelSizeUm: 0.1,
          exposureMs: 1000 / cameraFps,
          stage: {},
          camera: 'sim',
          wallTimeMs,
        },
      });
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  frames$.complete();
  const out = await images;
  const last = out[out.length - 1];
  const lags = out.map((o) => o.quality.lagMs).sort((a, b) => a - b);
  emit({
    case: 'live-64x64',
    ...common,
    cameraFps,
    framesOffered: liveFrames.length,
    framesUsed: last.quality.framesUsed,
    framesSkipped: last.quality.framesSkipped,
    imagesEmitted: out.length,
    medianLagMs: lags[Math.floor(lags.length / 2)],
    maxLagMs: lags[lags.length - 1],
    fps: last.quality.framesUsed / ((Date.now() - start) / 1000),
    acquisitionSeconds: liveFrames.length / cameraFps,
    rsp: last.quality.rsp,
  });
  await engine.runtime.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench storm: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
