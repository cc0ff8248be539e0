/**
 * `npm run bench -- agent-latency [--repetitions 15] [--sizes 512,2048]`: the time of one agent decision (observe →
 * predict → decide: SNR estimate, phototoxicity prediction over the field's tiles, mitosis detection, the policy
 * and its bounds) on a camera frame of the simulated photodamage dish, at 512² and 2048² pixels. Each repetition is
 * a new frame of the same time-lapse, one minute later, decided by the same agent with the shipped predictor, as in
 * a run (its first and previous frame are the ones it already saw). One JSON line per size: min and median over the
 * repetitions (after two warm-up decisions); goal ≤ 50 ms a decision, ratio = 50 / median ms (≥ 1 meets it).
 */
import { cpus, loadavg } from 'node:os';
import { z } from 'zod';
import type { Frame } from '../src/acquisition/frame';
import { IlluminationAgent } from '../src/agent/illumination-agent';
import { scriptOptions } from '../src/cli/run-script';
import { loadPhototoxPredictor } from '../src/models/phototox';
import { PhotodamageDish } from '../simulators/sample/photodamage';

const GOAL_MS = 50;
const WARM_UP = 2;
const OPTIONS = z.object({
  repetitions: z.coerce.number().int().min(1).default(15),
  sizes: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated sizes in pixels, e.g. 512,2048')
    .default('512,2048'),
});
const args = scriptOptions(
  'bench agent-latency',
  process.argv.slice(2),
  OPTIONS,
  'npm run bench -- agent-latency [--repetitions 15] [--sizes 512,2048]',
).options;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The frames of a time-lapse of the dish at `sizePx`², as the camera gives them (12-bit counts, 10 % light, 100 ms). */
function timelapse(sizePx: number, count: number): Frame[] {
  // the dish's own density (14 cells in 128²), over the larger field
  const dish = new PhotodamageDish({
    seed: 1,
    cellCount: Math.round(14 * (sizePx / 128) ** 2),
    camera: { widthPx: sizePx, heightPx: sizePx },
  });
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    dish.advanceTo(i * 60);
    const frame = dish.expose({ powerMw: 10, wavelengthNm: 488 }, 100);
    frames.push({
      pixels: frame.raw,
      meta: {
        acquisitionId: 'bench-agent-latency',
        sequence: i,
        index: { t: i },
        width: sizePx,
        height: sizePx,
        bitDepth: 12,
        pixelSizeUm: 1,
        exposureMs: 100,
        illumination: { source: 'dish-lamp', channel: 0, powerPercent: 10 },
        stage: {},
        camera: 'dish-camera',
        wallTimeMs: i * 60_000,
      },
    });
  }
  return frames;
}

async function main(): Promise<void> {
  const predictor = loadPhototoxPredictor();
  for (const sizePx of args.sizes.split(',').map(Number)) {
    const renderStarted = performance.now();
    const frames = timelapse(sizePx, WARM_UP + args.repetitions);
    const renderS = (performance.now() - renderStarted) / 1000;
    let nowMs = 0;
    // a minute a frame, as the frames are; the predictor is never cut short by its timeout here (it is measured)
    const params = { baseIntervalS: 60, eventIntervalS: 60, predictorTimeoutMs: 10_000 };
    const agent = new IlluminationAgent({ predictor, observe: 'inline', now: () => nowMs, params });
    const times: number[] = [];
    let modes = '';
    for (const [i, frame] of frames.entries()) {
      nowMs = i * 60_000;
      const started = performance.now();
      const record = await agent.observe(frame);
      const ms = performance.now() - started;
      if (i >= WARM_UP) times.push(ms);
      if (record.inputs.predictedRisk === null)
        throw new Error(`decision ${i} at ${sizePx}²: predictor failed (${record.inputs.predictorError})`);
      modes = record.decision.mode;
    }
    const medianMs = median(times);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'agent-latency',
        case: `${sizePx}x${sizePx}`,
        pixels: sizePx * sizePx,
        repetitions: times.length,
        minMs: round(Math.min(...times)),
        medianMs: round(medianMs),
        maxMs: round(Math.max(...times)),
        goalMs: GOAL_MS,
        ratio: round(GOAL_MS / medianMs, 3),
        lastMode: modes,
        renderS: round(renderS, 1),
        cpu: cpus()[0]?.model ?? 'unknown',
        loadAverage1m: round(loadavg()[0]),
      })}\n`,
    );
  }
}

void main().catch((err) => {
  process.stderr.write(`bench agent-latency failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
