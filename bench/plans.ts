/**
 * `npm run bench -- plans [--loops 100000]`: expanding a 10-million-event plan (time_plan loops × 10 stage
 * positions × 10 z planes) one event at a time, as the runner consumes it.
 *   expand:  time to the first event, events per second over the whole expansion; the limit, measured in the same
 *            run, is a plain JS generator of nested loops yielding as many event-shaped plain objects (useq-schema
 *            itself, in Python, is not installable here): ratio = ours / limit.
 *   summary: summarizePlan on the same plan (it must not expand the events; budget 1 s): ratio = 1000 ms / ours.
 *   rss:     resident memory before and after the expansion (constant memory: flat): ratio = before / after.
 */
import { z } from 'zod';
import { iterateEvents, summarizePlan, validatePlan } from '../src/acquisition/plans';
import { scriptOptions } from '../src/cli/run-script';

const { loops } = scriptOptions(
  'bench plans',
  process.argv.slice(2),
  z.object({ loops: z.coerce.number().int().positive().default(100_000) }),
  'npm run bench -- plans [--loops 100000]',
).options;
const POSITIONS = 10;
const PLANES = 10;
const SUMMARY_BUDGET_MS = 1000;

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'plans', ...line })}\n`);

const plan = {
  axis_order: 'tpgcz',
  time_plan: { interval: 1, loops },
  stage_positions: Array.from({ length: POSITIONS }, (_, i) => ({ x: 100 * i, y: -50 * i, z: 0 })),
  z_plan: { range: PLANES - 1, step: 1 },
};

/** Our expansion: every event pulled from the lazy iterator; the z sum keeps the work from being optimised away. */
function expandOurs(): { events: number; firstEventMs: number; seconds: number; checksum: number; peakRssMb: number } {
  const start = performance.now();
  const events = iterateEvents(validatePlan(plan));
  const first = events.next();
  const firstEventMs = performance.now() - start;
  let count = first.done ? 0 : 1;
  let checksum = first.done ? 0 : (first.value.zPosUm ?? 0);
  let peakRssMb = rssMb();
  for (const event of events) {
    checksum += event.zPosUm ?? 0;
    if (++count % 1_000_000 === 0) peakRssMb = Math.max(peakRssMb, rssMb());
  }
  return { events: count, firstEventMs, seconds: (performance.now() - start) / 1000, checksum, peakRssMb };
}

/**
 * The limit: the same number of event-shaped plain objects, yielded lazily by a generator of nested loops and
 * pulled one at a time, as ours are. (An eager loop that never lets its objects escape measures nothing: V8 then
 * allocates no objects at all.)
 */
function* plainEvents(): Generator<{ readonly index: Record<string, number>; readonly zPosUm: number }> {
  const action = { type: 'acquire_image' };
  for (let t = 0; t < loops; t++) {
    for (let p = 0; p < POSITIONS; p++) {
      for (let z = 0; z < PLANES; z++) {
        yield {
          index: { t, p, z },
          xPosUm: 100 * p,
          yPosUm: -50 * p,
          zPosUm: z - (PLANES - 1) / 2,
          minStartTimeS: t,
          keepShutterOpen: false,
          resetEventTimer: false,
          action,
        } as { readonly index: Record<string, number>; readonly zPosUm: number };
      }
    }
  }
}

function expandPlainLoop(): { events: number; seconds: number; checksum: number } {
  const start = performance.now();
  let count = 0;
  let checksum = 0;
  for (const event of plainEvents()) {
    checksum += event.zPosUm;
    count++;
  }
  return { events: count, seconds: (performance.now() - start) / 1000, checksum };
}

function main(): void {
  const sequence = validatePlan(plan);
  const summaryStart = performance.now();
  const summary = summarizePlan(sequence, { cameraWidthPx: 512, cameraHeightPx: 512, bytesPerPixel: 2 });
  const summaryMs = performance.now() - summaryStart;

  global.gc?.();
  const rssBeforeMb = rssMb();
  const ours = expandOurs();
  global.gc?.();
  const rssAfterMb = rssMb();
  const limit = expandPlainLoop();
  if (limit.events !== ours.events) throw new Error(`the plain loop made ${limit.events} events, our expansion ${ours.events}`);

  const eventsPerS = ours.events / ours.seconds;
  const limitEventsPerS = limit.events / limit.seconds;
  emit({
    case: 'expand',
    events: ours.events,
    timeToFirstEventMs: round(ours.firstEventMs, 3),
    seconds: round(ours.seconds, 2),
    eventsPerS: Math.round(eventsPerS),
    limitEventsPerS: Math.round(limitEventsPerS),
    ratio: round(eventsPerS / limitEventsPerS, 3),
  });
  emit({
    case: 'summary',
    totalFrames: summary.totalFrames,
    estimatedDurationS: summary.estimatedDurationS,
    summaryMs: round(summaryMs, 3),
    budgetMs: SUMMARY_BUDGET_MS,
    ratio: round(SUMMARY_BUDGET_MS / summaryMs, 1),
  });
  emit({
    case: 'rss',
    rssBeforeMb: round(rssBeforeMb),
    rssAfterMb: round(rssAfterMb),
    peakRssMb: round(ours.peakRssMb),
    gcExposed: typeof global.gc === 'function',
    ratio: round(rssBeforeMb / rssAfterMb, 3),
  });
}

main();
