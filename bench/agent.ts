/**
 * `npm run bench -- agent [--seeds 5] [--no-care] [--out <dir>]`: the same simulated 2-hour time-lapse of dividing
 * cells (photodamage dish, 128×128, 488 nm), several seeds, under six policies (bench/support/agent-policies.ts):
 * fixed high light, fixed low light, fixed low light + CARE, the event-driven rule of Mahecic et al. 2022 (+ CARE)
 * and the agent (+ CARE). Every run goes through the real acquisition runner, the real safety envelope
 * (SafeLightSource around the dish's lamp) and the policy's hooks; simulated time jumps to each event's start.
 * Scored against the simulator's ground truth (bench/support/agent-metrics.ts, definitions printed); prints the
 * table (mean ± sd over seeds), the Pareto front and the goal's verdicts on stderr, one JSON line per policy on
 * stdout, and writes agent-evaluation.json and .svg to --out (default: the configured agent.evaluationDir, which
 * the service serves at api/agent/evaluation).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { scriptOptions } from '../src/cli/run-script';
import { loadCareModel } from '../src/models/care/care-model';
import { loadConfig } from '../src/scope-config';
import { AGENT_BOUNDS, POLICIES } from './support/agent-policies';
import { runOne, type RunOutcome } from './support/agent-run';
import { evaluationOf, formatTable, jsonLines, policyResult, writeEvaluation, type PolicyResult } from './support/agent-table';

const DURATION_S = 7200;
const OPTIONS = z.object({
  seeds: z.coerce.number().int().positive().default(5),
  noCare: z.boolean().default(false),
  out: z.string().min(1).optional(),
});
const USAGE = 'npm run bench -- agent [--seeds 5] [--no-care] [--out <dir>]';
const args = scriptOptions('bench agent', process.argv.slice(2), OPTIONS, USAGE).options;

async function main(): Promise<void> {
  const started = Date.now();
  const outDir = resolve(args.out ?? loadConfig().agent.evaluationDir);
  const care = args.noCare ? undefined : await loadCareModel('care-default');
  const seeds = Array.from({ length: args.seeds }, (_, i) => i + 1);
  const results: PolicyResult[] = [];
  for (const policy of POLICIES) {
    const policyStarted = Date.now();
    const outcomes: RunOutcome[] = [];
    for (const seed of seeds) outcomes.push(await runOne(policy, seed, DURATION_S, policy.care ? care : undefined));
    const restorer = policy.care ? (care ? 'care-default' : 'none (--no-care)') : 'none';
    results.push(policyResult(policy, restorer, outcomes, (Date.now() - policyStarted) / 1000));
    process.stderr.write(`${policy.name}: ${seeds.length} seeds in ${((Date.now() - policyStarted) / 1000).toFixed(1)} s\n`);
  }
  await care?.dispose();
  const evaluation = evaluationOf(results, {
    seeds,
    durationS: DURATION_S,
    fastGapS: 1.5 * AGENT_BOUNDS.eventIntervalS,
    wallS: (Date.now() - started) / 1000,
  });
  const written = await writeEvaluation(evaluation, outDir);
  process.stderr.write(`${formatTable(evaluation)}\nwrote ${written.json} and ${written.svg} (${evaluation.wallS.toFixed(1)} s)\n`);
  for (const line of jsonLines(evaluation)) process.stdout.write(`${line}\n`);
}

void main().catch((err) => {
  process.stderr.write(`bench agent failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
