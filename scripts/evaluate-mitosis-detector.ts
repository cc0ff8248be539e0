/**
 * `node -r ts-node/register/transpile-only scripts/evaluate-mitosis-detector.ts [--tune-seeds 10] [--held-out-seeds 10]
 * [--duration-s 10800] [--out models/mitosis-detector]`: the mitosis detector and its hysteresis against the
 * photodamage dish's true mitoses, at the agent's light levels (2–60 %) and intervals (60–600 s), 100 ms frames,
 * 128². The thresholds and hysteresis are tuned on the tuning seeds only; precision, recall and F1 are reported on
 * the held-out seeds, overall, per light level and per interval, with the threshold sweep (PR curve). Writes
 * detector.json (the chosen parameters) and metrics.json into --out; the SNR estimate's check against the truth
 * (snr-check.ts) goes to models/snr-estimate/metrics.json. One JSON line per result on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MITOSIS_DETECTOR, type MitosisDetectorOptions, type MitosisSpot } from '../src/agent/observe/mitosis-detector';
import { DEFAULT_MITOSIS_EVENTS, MitosisEvents, type MitosisEventOptions } from '../src/agent/observe/mitosis-events';
import { runScript, scriptOptions } from '../src/cli/run-script';
import { addCounts, emptyCounts, MATCH_RADIUS_PX, matchEvents, scores, type MatchCounts, type ScoredEvent } from './mitosis-matching';
import { EDGE_MARGIN_PX, ROUNDING_S, truthTimelapse, type TrueMitosis } from './mitosis-timelapse';
import { BRIGHT_HALF_NOISE_FACTOR } from '../src/agent/observe/snr-estimate';
import { snrCheck, snrSamples } from './snr-check';

const ROOT = resolve(__dirname, '..');
const LIGHTS_PERCENT = [2, 6, 20, 60];
const INTERVALS_S = [60, 120, 300, 600];
const EXPOSURE_MS = 100;
const TUNE_SEED0 = 1001;
const HELD_OUT_SEED0 = 3001;
/** Spots are cached down to this ratio; every threshold swept is at least this. */
const SPOT_FLOOR = 1.05;

const OPTIONS = z.object({
  tuneSeeds: z.coerce.number().int().positive().default(10),
  heldOutSeeds: z.coerce.number().int().positive().default(10),
  durationS: z.coerce.number().positive().default(10_800),
  out: z.string().min(1).default('models/mitosis-detector'),
  snrOut: z.string().min(1).default('models/snr-estimate'),
});
const USAGE =
  'node -r ts-node/register/transpile-only scripts/evaluate-mitosis-detector.ts [--tune-seeds 10] [--held-out-seeds 10] [--duration-s 10800] [--out models/mitosis-detector] [--snr-out models/snr-estimate]';
const args = scriptOptions('evaluate-mitosis-detector', process.argv.slice(2), OPTIONS, USAGE).options;

/** The frame compared with: 0 = the previous frame; else the oldest at most this long before. */
const LOOKBACKS_S = [0, 120];
/** Detector variants (the windows and what a cell's light is), each tried at every lookback. */
const DETECTOR_GRID: ReadonlyArray<Partial<MitosisDetectorOptions>> = [24, 32].flatMap((neighbourhoodPx) =>
  [0.9, 0.95].flatMap((cellQuantile) => [1.2, 1.4].map((spotGain) => ({ neighbourhoodPx, cellQuantile, spotGain }))),
);
const ON_RATIOS = Array.from({ length: 17 }, (_, i) => Number((1.3 + 0.1 * i).toFixed(2)));
const OFF_RATIOS = [1.1, 1.3];
const OFF_FRAMES = [1, 2];
const CONFIRM_FRAMES = [1, 2] as const;
const REFRACTORY_S = [1200, 1800, 2400];
const RADII_PX = [16, 24, 32];

interface Detected {
  readonly timeS: number;
  readonly comparedWithS: number;
  readonly spots: readonly MitosisSpot[];
}

interface Run {
  readonly lightPercent: number;
  readonly intervalS: number;
  readonly mitoses: readonly TrueMitosis[];
  readonly fieldPx: number;
  /** Per detector variant and lookback (`variantKey`), the detector's spots of every frame. */
  readonly detected: ReadonlyMap<string, readonly Detected[]>;
}

const variantKey = (detector: number, lookbackS: number) => `${detector}:${lookbackS}`;

interface Candidate {
  readonly detector: number;
  readonly events: MitosisEventOptions;
}

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ evaluation: 'mitosis-detector', ...line })}\n`);
}

function detectorOf(index: number): MitosisDetectorOptions {
  return { ...DEFAULT_MITOSIS_DETECTOR, ...DETECTOR_GRID[index] };
}

function simulate(seed: number, lightPercent: number, intervalS: number): Run {
  const { frames, mitoses, fieldPx } = truthTimelapse({
    seed,
    lightPercent,
    intervalS,
    durationS: args.durationS,
    exposureMs: EXPOSURE_MS,
  });
  const detected = new Map<string, Detected[]>();
  DETECTOR_GRID.forEach((_, d) => {
    for (const lookbackS of LOOKBACKS_S) {
      // no events here: only the detector's spots, down to the floor, against the frame the tracker would pick
      const detector = { ...detectorOf(d), spotRatio: SPOT_FLOOR };
      const tracker = new MitosisEvents({ ...DEFAULT_MITOSIS_EVENTS, onRatio: Infinity, offRatio: SPOT_FLOOR, lookbackS }, detector);
      const list: Detected[] = [];
      for (const frame of frames) {
        const update = tracker.observe(frame);
        if (update.detection && update.comparedWithS !== null)
          list.push({ timeS: frame.timeS, comparedWithS: update.comparedWithS, spots: update.detection.spots });
      }
      detected.set(variantKey(d, lookbackS), list);
    }
  });
  return { lightPercent, intervalS, mitoses, fieldPx, detected };
}

function eventsOf(run: Run, candidate: Candidate): ScoredEvent[] {
  const tracker = new MitosisEvents(candidate.events);
  const events: ScoredEvent[] = [];
  for (const frame of run.detected.get(variantKey(candidate.detector, candidate.events.lookbackS)) ?? []) {
    for (const e of tracker.update(frame.timeS, frame.spots).started)
      events.push({ timeS: frame.timeS, comparedWithS: frame.comparedWithS, xPx: e.xPx, yPx: e.yPx });
  }
  return events;
}

function countsOf(runs: readonly Run[], candidate: Candidate, keep: (run: Run) => boolean = () => true): MatchCounts {
  const total = emptyCounts();
  for (const run of runs) if (keep(run)) addCounts(total, matchEvents(eventsOf(run, candidate), run.mitoses, run.fieldPx));
  return total;
}

/** Stage 1: each detector variant and lookback over the upper threshold, with the default hysteresis. */
function* detectorStage(): Generator<Candidate> {
  for (let detector = 0; detector < DETECTOR_GRID.length; detector++)
    for (const lookbackS of LOOKBACKS_S)
      for (const onRatio of ON_RATIOS) yield { detector, events: { ...DEFAULT_MITOSIS_EVENTS, lookbackS, onRatio } };
}

/** Stage 2: the hysteresis around the best detector of stage 1. */
function* hysteresisStage(best: Candidate): Generator<Candidate> {
  for (const onRatio of ON_RATIOS)
    for (const offRatio of OFF_RATIOS.filter((r) => r < onRatio))
      for (const offFrames of OFF_FRAMES)
        for (const confirmFrames of CONFIRM_FRAMES)
          for (const refractoryS of REFRACTORY_S)
            for (const radiusPx of RADII_PX)
              yield {
                detector: best.detector,
                events: { ...best.events, onRatio, offRatio, offFrames, confirmFrames, refractoryS, radiusPx },
              };
}

function bestOf(runs: readonly Run[], candidates: Iterable<Candidate>): { candidate: Candidate; counts: MatchCounts; score: number } {
  let best: { candidate: Candidate; counts: MatchCounts; score: number } | undefined;
  for (const candidate of candidates) {
    const counts = countsOf(runs, candidate);
    const score = objective(counts);
    if (!best || score > best.score) best = { candidate, counts, score };
  }
  return best!;
}

/** The goal is both ≥ 0.8: the better of the two worse, then F1. */
function objective(c: MatchCounts): number {
  const s = scores(c);
  return Math.min(s.precision || 0, s.recall || 0) + 1e-3 * s.f1;
}

function summary(c: MatchCounts) {
  const s = scores(c);
  return { ...c, precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), recallOfDivided: round(s.recallOfDivided) };
}

function round(v: number, digits = 4): number {
  return Number.isFinite(v) ? Number(v.toFixed(digits)) : v;
}

function simulateAll(seeds: readonly number[]): Run[] {
  const runs: Run[] = [];
  for (const seed of seeds)
    for (const light of LIGHTS_PERCENT) for (const interval of INTERVALS_S) runs.push(simulate(seed, light, interval));
  return runs;
}

async function main(): Promise<void> {
  const started = Date.now();
  const tuneSeeds = Array.from({ length: args.tuneSeeds }, (_, i) => TUNE_SEED0 + i);
  const heldOutSeeds = Array.from({ length: args.heldOutSeeds }, (_, i) => HELD_OUT_SEED0 + i);
  const tuning = simulateAll(tuneSeeds);
  emit({ stage: 'simulated tuning runs', runs: tuning.length, seconds: round((Date.now() - started) / 1000, 1) });
  const stage1 = bestOf(tuning, detectorStage());
  emit({
    stage: 'tuned detector',
    detector: detectorOf(stage1.candidate.detector),
    events: stage1.candidate.events,
    tuning: summary(stage1.counts),
  });
  const best = bestOf(tuning, hysteresisStage(stage1.candidate));
  const chosenCandidate = best.candidate;
  const chosen = chosenCandidate.events;
  const detector = {
    ...detectorOf(chosenCandidate.detector),
    ratio: chosen.onRatio,
    spotRatio: Math.min(DEFAULT_MITOSIS_DETECTOR.spotRatio, chosen.offRatio),
  };
  emit({ stage: 'tuned', detector, events: chosen, tuning: summary(best.counts), seconds: round((Date.now() - started) / 1000, 1) });

  const heldOut = simulateAll(heldOutSeeds);
  const overall = summary(countsOf(heldOut, chosenCandidate));
  const perLight = LIGHTS_PERCENT.map((lightPercent) => ({
    lightPercent,
    ...summary(countsOf(heldOut, chosenCandidate, (r) => r.lightPercent === lightPercent)),
  }));
  const perInterval = INTERVALS_S.map((intervalS) => ({
    intervalS,
    ...summary(countsOf(heldOut, chosenCandidate, (r) => r.intervalS === intervalS)),
  }));
  const sweep = ON_RATIOS.filter((onRatio) => onRatio > chosen.offRatio).map((onRatio) => ({
    onRatio,
    tuning: summary(countsOf(tuning, { ...chosenCandidate, events: { ...chosen, onRatio } })),
    heldOut: summary(countsOf(heldOut, { ...chosenCandidate, events: { ...chosen, onRatio } })),
  }));
  emit({ stage: 'held-out', overall });
  for (const row of perLight) emit({ stage: 'held-out per light', ...row });
  for (const row of perInterval) emit({ stage: 'held-out per interval', ...row });

  const out = resolve(ROOT, args.out);
  mkdirSync(out, { recursive: true });
  const detectorJson = { detector, events: chosen };
  writeFileSync(join(out, 'detector.json'), `${JSON.stringify(detectorJson, null, 2)}\n`);
  const metrics = {
    description:
      'Mitosis detector (src/agent/observe/mitosis-detector.ts) with its hysteresis (mitosis-events.ts) against the photodamage dish ground truth',
    generatedBy: 'scripts/evaluate-mitosis-detector.ts',
    conditions: {
      lightsPercent: LIGHTS_PERCENT,
      intervalsS: INTERVALS_S,
      exposureMs: EXPOSURE_MS,
      durationS: args.durationS,
      framePx: 128,
      dish: 'PhotodamageDish defaults (14 cells, 488 nm, 1 % = 1 mW)',
    },
    tuningSeeds: tuneSeeds,
    heldOutSeeds,
    chosenOn: 'tuning seeds only: the grid point maximising min(precision, recall), then F1',
    grid: {
      stages: 'stage 1: detector variants × lookbacks × onRatio (default hysteresis); stage 2: hysteresis around the best',
      detectors: DETECTOR_GRID,
      lookbacksS: LOOKBACKS_S,
      onRatios: ON_RATIOS,
      offRatios: OFF_RATIOS,
      offFrames: OFF_FRAMES,
      confirmFrames: CONFIRM_FRAMES,
      refractoryS: REFRACTORY_S,
      radiiPx: RADII_PX,
    },
    matching: {
      truePositive: `an event whose frame pair (the frame compared with … its own frame) overlaps a true mitosis (dish mitosis log: start … division) of a cell within ${MATCH_RADIUS_PX} px of the event's spot (distances wrap with the dish); each true mitosis matched once, to its first event`,
      falsePositive: 'any other event, including a second event on an already matched mitosis (duplicates counted apart too)',
      recallCounts: `mitoses that started after the first frame, were seen fully rounded (≥ ${ROUNDING_S} s in) by some frame, and whose cell sits ≥ ${EDGE_MARGIN_PX} px inside the field`,
      ignored:
        'events whose only match is a mitosis outside the recall (one within 8 px of the field edge, where the wrapping dish draws the cell half on each side, or one seen only in its first 300 s at the end of a run)',
      recallOfDivided: 'recall over the eligible mitoses that divided before the run ended (the detector sees the division)',
    },
    notes: [
      'The detector fires on the division (a few cells of light appear where the rounded mother was), so it learns of a mitosis at its end, about 20 min after it began; a mitosis arrested by photodamage (60 % light) or begun near the end of a run is not seen.',
      'Measured during development on tuning seeds 1001-1003 only: the previous detector (per-block brightening over the dilated frame up to 660 s earlier, ratio 1.5) gave precision 0.13 at recall 0.60 (16 px matching, no edge margin): in this dish a rounding cell gets dimmer, not brighter, and crawling cells made most of its detections; detecting the rounding as light lost in a large window gave precision about 0.2 at recall 0.3-0.5.',
    ],
    tuning: summary(best.counts),
    heldOut: { overall, perLight, perInterval },
    thresholdSweep: sweep,
    seconds: round((Date.now() - started) / 1000, 1),
  };
  writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);

  const snr = snrCheck(heldOutSeeds.slice(0, 4));
  // the estimate's one constant, as the tuning seeds would set it (the held-out figures above use the code's)
  const ratios = snrSamples(tuneSeeds.slice(0, 4))
    .map((s) => s.estimate / s.truth)
    .sort((p, q) => p - q);
  const factorOnTuningSeeds = round(BRIGHT_HALF_NOISE_FACTOR * ratios[Math.floor(ratios.length / 2)], 3);
  for (const row of snr.perLight) emit({ stage: 'snr per light', ...row });
  emit({ stage: 'snr', spearman: snr.spearman, monotone: snr.monotone, factorOnTuningSeeds });
  const snrOut = resolve(ROOT, args.snrOut);
  mkdirSync(snrOut, { recursive: true });
  const snrMetrics = {
    description: 'estimateSnr (src/agent/observe/snr-estimate.ts) against the photodamage dish ground truth, held-out seeds',
    generatedBy: 'scripts/evaluate-mitosis-detector.ts (snr-check.ts)',
    ...snr,
    brightHalfNoiseFactor: { inCode: BRIGHT_HALF_NOISE_FACTOR, onTuningSeeds: factorOnTuningSeeds, tuningSeeds: tuneSeeds.slice(0, 4) },
    before:
      'measured during development on seeds 2001-2002 with the previous estimate (neighbour differences, whole-count median, noise floor 0.5): Spearman 0.943, mean relative error +47 % at 1 %, +62 % at 2-3 %, +27 % at 20 %, -4 % at 60 %, -13 % at 80 %; the mean estimate levelled off at 36-38 between 45 and 80 % light while the truth rose from 35 to 45',
  };
  writeFileSync(join(snrOut, 'metrics.json'), `${JSON.stringify(snrMetrics, null, 2)}\n`);
}

runScript('evaluate-mitosis-detector', main);
