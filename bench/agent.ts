/**
 * `npm run bench -- agent [--seeds 3] [--no-care]`: the same simulated 2-hour time-lapse of dividing cells
 * (photodamage dish, 128×128, 488 nm), several seeds, under four policies: fixed high light, fixed low light, fixed
 * low light + CARE, and the agent (+ CARE) on the same plan, bounded as AGENT_BOUNDS says. Every run goes through
 * the real acquisition runner, the real safety envelope (SafeLightSource around the dish's lamp) and, for the
 * agent, its hooks; simulated time jumps to each event's start, so 2 hours take about a second. Prints a table and one JSON line per policy (means over seeds).
 * SSIM: of CARE-restored frames for the -care policies and the agent, of raw frames otherwise (both kept as fields),
 * against the simulator's noise-free frame, on every 5th frame.
 */
import { z } from 'zod';
import type { MDAEvent } from '../src/acquisition/plans';
import { AcquisitionRun, type EventHooks } from '../src/acquisition/runner/runner';
import { IlluminationAgent } from '../src/agent/illumination-agent';
import { SafeLightSource } from '../src/hardware/safety';
import { loadCareModel, type CareModel } from '../src/models/care/care-model';
import { restorationMetrics } from '../src/models/care/evaluation/image-metrics';
import { loadPhototoxPredictor } from '../src/models/phototox';
import { DishLamp, PhotodamageDish } from '../simulators/sample/photodamage';
import { DishEngine, plannedEvents } from '../scripts/phototox-dish-engine';
import { scriptOptions } from '../src/cli/run-script';

const DURATION_S = 7200;
const SSIM_EVERY = 5;
const OPTIONS = z.object({ seeds: z.coerce.number().int().positive().default(3), noCare: z.boolean().default(false) });
const args = scriptOptions('bench agent', process.argv.slice(2), OPTIONS, 'npm run bench -- agent [--seeds 3] [--no-care]').options;
const seedCount = args.seeds;
const useCare = !args.noCare;

interface Policy {
  readonly name: 'fixed-high' | 'fixed-low' | 'fixed-low-care' | 'agent';
  readonly care: boolean;
  readonly illuminationPercent?: number;
  /** The plan's interval: the agent's within its bounds (AGENT_BOUNDS). */
  readonly intervalS: number;
}

/**
 * The user's bounds on the agent: the same 2-minute plan as the fixed policies, whose frames it may stretch to 10
 * minutes when the predicted damage asks for it, and bring to 1 a minute while it follows a mitosis (which uses the
 * plan's time points sooner).
 */
const AGENT_BOUNDS = { intervalStretchMax: 5, eventIntervalS: 60 };

const POLICIES: readonly Policy[] = [
  { name: 'fixed-high', care: false, illuminationPercent: 60, intervalS: 120 },
  { name: 'fixed-low', care: false, illuminationPercent: 6, intervalS: 120 },
  { name: 'fixed-low-care', care: true, illuminationPercent: 6, intervalS: 120 },
  { name: 'agent', care: true, intervalS: 120 },
];

interface Outcome {
  dose: number;
  cellsAlive: number;
  mitosesCaptured: number;
  ssimRaw: number;
  ssimCare: number;
  frames: number;
}

async function runOne(policy: Policy, seed: number, care: CareModel | undefined): Promise<Outcome> {
  const clock = { nowMs: 0 };
  const dish = new PhotodamageDish({ seed });
  const lamp = new DishLamp(488, 100);
  const light = new SafeLightSource(
    lamp,
    { maxPowerPercent: 100, maxExposureMs: 1000, fallbackPowerPercent: 2 },
    { now: () => clock.nowMs, logger: { warn: () => undefined } },
  );
  const engine = new DishEngine(dish, lamp, light, clock);
  let dose = 0;
  const hooks: EventHooks<MDAEvent>[] = [];
  if (policy.name === 'agent') {
    const agent = new IlluminationAgent({
      params: { seed, experimentDurationS: DURATION_S, ...AGENT_BOUNDS },
      predictor: loadPhototoxPredictor(),
      now: () => clock.nowMs,
    });
    hooks.push(agent);
  } else {
    hooks.push({ beforeEvent: (e) => ({ ...e, illuminationPercent: policy.illuminationPercent, exposureMs: 100 }) as MDAEvent });
  }
  // Ends the experiment at its duration, and lets simulated time jump to each event's start.
  hooks.push({
    beforeEvent: (e) => {
      if ((e.minStartTimeS ?? 0) > DURATION_S) return null;
      clock.nowMs = Math.max(clock.nowMs, (e.minStartTimeS ?? 0) * 1000);
      return e;
    },
    afterEvent: (_e, frames) => {
      for (const f of frames) dose += (f.meta.illumination?.powerPercent ?? 0) * (f.meta.exposureMs / 1000);
    },
  });
  const run = new AcquisitionRun<MDAEvent>({
    events: plannedEvents(policy.intervalS, DURATION_S),
    engine,
    hooks,
    clock: () => clock.nowMs,
  });
  const progress = await run.start();
  if (progress.state !== 'finished') throw new Error(`${policy.name} seed ${seed}: run ${progress.state}: ${progress.error}`);
  light.dispose();
  let ssimRaw = 0;
  let ssimCare = 0;
  let scored = 0;
  for (let i = 0; i < engine.frames.length; i += SSIM_EVERY) {
    const { raw, clean } = engine.frames[i];
    ssimRaw += restorationMetrics(raw, clean, 128, 128).ssim;
    if (care) ssimCare += restorationMetrics((await care.restore(raw, 128, 128)).restored, clean, 128, 128).ssim;
    scored++;
  }
  return {
    dose,
    cellsAlive: dish.cellsAlive(),
    mitosesCaptured: dish.mitosesCaptured(3),
    ssimRaw: ssimRaw / scored,
    ssimCare: care ? ssimCare / scored : NaN,
    frames: engine.frames.length,
  };
}

async function main(): Promise<void> {
  const care = useCare ? await loadCareModel('care-default') : undefined;
  const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
  const rows: Array<Record<string, string | number>> = [];
  let highDose = NaN;
  for (const policy of POLICIES) {
    const started = Date.now();
    const outcomes: Outcome[] = [];
    for (const seed of seeds) outcomes.push(await runOne(policy, seed, policy.care ? care : undefined));
    const mean = (key: keyof Outcome) => outcomes.reduce((s, o) => s + o[key], 0) / outcomes.length;
    if (policy.name === 'fixed-high') highDose = mean('dose');
    const restorer = policy.care ? (care ? 'care-default' : 'none (--no-care)') : 'none';
    const ssim = policy.care && care ? mean('ssimCare') : mean('ssimRaw');
    const row = {
      bench: 'agent',
      policy: policy.name,
      dose: round(mean('dose'), 1),
      cellsAlive: round(mean('cellsAlive'), 2),
      mitosesCaptured: round(mean('mitosesCaptured'), 2),
      ssim: round(ssim, 4),
      ratio: policy.name === 'agent' ? round(highDose / mean('dose'), 2) : 1,
      ssimRaw: round(mean('ssimRaw'), 4),
      restorer,
      frames: round(mean('frames'), 1),
      seeds: seeds.length,
      doseUnit: '%·s (1 % = 1 mW at the sample)',
      seconds: round((Date.now() - started) / 1000, 1),
    };
    rows.push(row);
  }
  const columns = ['policy', 'dose', 'ratio', 'cellsAlive', 'mitosesCaptured', 'ssim', 'ssimRaw', 'frames', 'restorer'];
  process.stderr.write(`${columns.map((c) => c.padEnd(15)).join('')}\n`);
  for (const row of rows) process.stderr.write(`${columns.map((c) => String(row[c]).padEnd(15)).join('')}\n`);
  for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  await care?.dispose();
}

function round(v: number, digits: number): number {
  return Number.isFinite(v) ? Number(v.toFixed(digits)) : v;
}

void main().catch((err) => {
  process.stderr.write(`bench agent failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
