/**
 * `npx ts-node scripts/evaluate-storm.ts [--model <name|folder>] [--runtime auto|onnx|tfjs] [--out test-artifacts/storm]`:
 * evaluates Deep-STORM and the classical baseline
 * - against ground truth: simulated movies at three densities, and the Deep-STORM paper's demo movie
 *   (ArtificialDataset_demo1.tif with its 4,956 true positions), Jaccard / recall / precision / RMSE at 100 nm;
 * - against the paper: our reconstruction of testStack_SimulatedMicrotubules.tif beside the authors' own
 *   (Recovery_SimulatedMicrotubules_DeepSTORM.tif): Pearson correlation, SQUIRREL, and a PNG side by side.
 * Reads ../shared/data/smlm (relative to the project root). One JSON line per result on stdout.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { BlinkingMovie } from '../simulators/sample/blinking';
import { parseOptions } from '../src/cli/options';
import { runScript } from '../src/cli/run-script';
import { openStormStack } from '../src/models/io/storm-io';
import { DEFAULT_DEEP_STORM_MODEL, openDeepStorm } from '../src/models/smlm/deep-storm/load-deep-storm';
import type { Localisation } from '../src/models/smlm/localisation';
import { scoreLocalisations, type ScoredPoint } from '../src/models/smlm/metrics/match-localisations';
import { ClassicalProcessor, DeepStormProcessor, type FrameBatchProcessor } from '../src/models/smlm/reconstruct/frame-processor';
import { reconstructStack } from '../src/models/smlm/reconstruct/reconstruct-stack';
import { blurAndBin } from '../src/models/smlm/quality/squirrel';
import { sideBySide, toGrey, writeGreyPng } from './storm-png';

const ROOT = resolve(__dirname, '..');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'smlm');
const TOLERANCE_NM = 100;

const OPTIONS = z.object({
  out: z.string().min(1).default('test-artifacts/storm'),
  model: z.string().min(1).default(DEFAULT_DEEP_STORM_MODEL),
  runtime: z.enum(['auto', 'onnx', 'tfjs']).default('auto'),
});
const USAGE = 'npm run evaluate:storm -- [--out test-artifacts/storm] [--model <name|folder>] [--runtime auto|onnx|tfjs]';

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ evaluation: 'storm', ...line })}\n`);
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let sa = 0,
    sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[i];
    sb += b[i];
  }
  const ma = sa / n,
    mb = sb / n;
  let c = 0,
    va = 0,
    vb = 0;
  for (let i = 0; i < n; i++) {
    c += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return c / Math.sqrt(va * vb);
}

/** The image blurred by a Gaussian of σ SR pixels (kept on its grid): correlation at a coarser scale. */
function blurred(image: Float32Array, side: number, sigma: number): Float64Array {
  return blurAndBin(image, side, side, 1, sigma);
}

function readPositions(path: string): ScoredPoint[] {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const cols = header.split(',').map((c) => c.replace(/"/g, '').trim());
  const frame = cols.indexOf('frame');
  const x = cols.findIndex((c) => c.startsWith('x'));
  const y = cols.findIndex((c) => c.startsWith('y'));
  // ThunderSTORM numbers frames from 1.
  return rows.map((r) => r.split(',')).map((c) => ({ frame: Number(c[frame]) - 1, xNm: Number(c[x]), yNm: Number(c[y]) }));
}

async function scoreOn(
  processor: FrameBatchProcessor,
  frames: ReadonlyArray<ArrayLike<number>>,
  side: number,
  truth: readonly ScoredPoint[],
) {
  const locs: Localisation[] = [];
  const started = performance.now();
  await reconstructStack(frames, { widthPx: side, heightPx: side, pixelSizeNm: 100 }, processor, {
    onLocalisations: (l) => locs.push(...l),
  });
  const seconds = (performance.now() - started) / 1000;
  const s = scoreLocalisations(locs, truth, TOLERANCE_NM);
  return {
    jaccard: s.jaccard,
    recall: s.recall,
    precision: s.precision,
    rmseNm: s.rmseNm,
    localisations: locs.length,
    fps: frames.length / seconds,
  };
}

async function main(): Promise<void> {
  const { options: args } = parseOptions(process.argv.slice(2), OPTIONS, USAGE);
  const out = resolve(ROOT, args.out);
  mkdirSync(out, { recursive: true });
  const engine = await openDeepStorm(args.model, args.runtime);
  const deepStorm = new DeepStormProcessor(engine, true);
  const classical = new ClassicalProcessor(8);
  const common = { model: engine.name, runtime: engine.runtime.name, toleranceNm: TOLERANCE_NM };

  for (const density of [0.5, 2, 6]) {
    const frames = new BlinkingMovie({ seed: 4242 + density * 100, widthPx: 64, heightPx: 64, densityPerUm2: density }).take(20);
    const truth = frames.flatMap((f) => f.emitters);
    const pixels = frames.map((f) => f.pixels);
    emit({
      data: `simulated, ${density} emitters/µm², 20 frames 64×64`,
      ...common,
      emitters: truth.length,
      deepStorm: await scoreOn(deepStorm, pixels, 64, truth),
      baseline: await scoreOn(classical, pixels, 64, truth),
    });
  }

  const demo = await openStormStack(join(DATA, 'ArtificialDataset_demo1.tif'));
  const demoFrames: Array<ArrayLike<number>> = [];
  for await (const f of demo.frames()) demoFrames.push(f);
  const demoTruth = readPositions(join(DATA, 'positions_demo1.csv'));
  emit({
    data: 'Deep-STORM demo 1 (ArtificialDataset_demo1.tif, positions_demo1.csv)',
    ...common,
    frames: demoFrames.length,
    emitters: demoTruth.length,
    deepStorm: await scoreOn(deepStorm, demoFrames, demo.widthPx, demoTruth),
    baseline: await scoreOn(classical, demoFrames, demo.widthPx, demoTruth),
  });

  const test = await openStormStack(join(DATA, 'testStack_SimulatedMicrotubules.tif'));
  const grid = { widthPx: test.widthPx, heightPx: test.heightPx, pixelSizeNm: 100 };
  const ours = await reconstructStack(test.frames(), grid, new DeepStormProcessor(engine));
  const baseline = await reconstructStack(
    (await openStormStack(join(DATA, 'testStack_SimulatedMicrotubules.tif'))).frames(),
    grid,
    new ClassicalProcessor(8, {}, 'gaussian'),
  );
  const authorsStack = await openStormStack(join(DATA, 'Recovery_SimulatedMicrotubules_DeepSTORM.tif'));
  let authors: Float32Array | undefined;
  for await (const f of authorsStack.frames()) authors = Float32Array.from(f);
  const side = ours.snapshot.widthPx;
  if (!authors || authors.length !== side * side) throw new Error(`the authors' reconstruction is not ${side}×${side}`);
  const q = ours.accumulator.quality(ours.snapshot);
  const qb = baseline.accumulator.quality(baseline.snapshot);
  const qa = ours.accumulator.quality({ ...ours.snapshot, superResolved: authors });
  emit({
    data: 'Deep-STORM paper test movie (testStack_SimulatedMicrotubules.tif, 361 frames) vs the authors\u2019 reconstruction',
    ...common,
    correlationWithAuthors: {
      deepStorm: pearson(ours.snapshot.superResolved, authors),
      baseline: pearson(baseline.snapshot.superResolved, authors),
    },
    correlationWithAuthorsBlurred25nm: {
      deepStorm: pearson(blurred(ours.snapshot.superResolved, side, 2), blurred(authors, side, 2)),
      baseline: pearson(blurred(baseline.snapshot.superResolved, side, 2), blurred(authors, side, 2)),
    },
    squirrel: {
      deepStorm: { rsp: q.rsp, rseRelative: q.rseRelative },
      baseline: { rsp: qb.rsp, rseRelative: qb.rseRelative },
      authors: { rsp: qa.rsp, rseRelative: qa.rseRelative },
    },
  });
  const widefieldUp = new Float32Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      widefieldUp[y * side + x] = ours.snapshot.widefield[Math.floor(y / 8) * test.widthPx + Math.floor(x / 8)];
  const panel = (img: ArrayLike<number>) => ({ pixels: toGrey(img), width: side, height: side });
  const figure = sideBySide([
    panel(widefieldUp),
    panel(ours.snapshot.superResolved),
    panel(authors),
    panel(baseline.snapshot.superResolved),
  ]);
  const png = join(out, 'deep-storm-vs-authors.png');
  writeGreyPng(png, figure.pixels, figure.width, figure.height);
  emit({ figure: png, panels: ['widefield mean', `ours (${engine.name})`, "authors' Deep-STORM", 'classical baseline'] });
  await engine.runtime.dispose();
}

runScript('evaluate-storm', main);
