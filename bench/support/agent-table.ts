/**
 * The agent bench's results: per policy the spread of every metric over seeds, the table printed for people, one
 * JSON line per policy for machines, and the evaluation document (JSON + SVG) the service shows on the dashboard.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVALUATION_FILES } from '../../src/agent/evaluation-files';
import { paretoFront, goalVerdict, type PolicySummary, type Verdict } from './agent-goal';
import { METRIC_DEFINITIONS, spreadOf, type Spread } from './agent-metrics';
import { evaluationSvg } from './agent-plot';
import type { Policy } from './agent-policies';
import type { MetricName, RunOutcome } from './agent-run';

export interface PolicyResult extends PolicySummary {
  readonly policy: Policy['name'];
  readonly describe: string;
  readonly restorer: string;
  readonly metrics: Readonly<Record<MetricName, Spread>>;
  readonly perSeed: Readonly<Record<MetricName, readonly number[]>>;
  readonly seconds: number;
}

export interface AgentEvaluation {
  readonly bench: 'agent';
  readonly createdAt: string;
  readonly seeds: readonly number[];
  readonly durationS: number;
  readonly fastGapS: number;
  readonly definitions: Readonly<Record<string, string>>;
  readonly policies: readonly PolicyResult[];
  readonly paretoFront: readonly string[];
  readonly agentOnFront: boolean;
  readonly verdicts: readonly Verdict[];
  readonly meetsGoal: boolean;
  readonly wallS: number;
}

export function policyResult(policy: Policy, restorer: string, outcomes: readonly RunOutcome[], seconds: number): PolicyResult {
  const names = Object.keys(outcomes[0]) as MetricName[];
  const perSeed = Object.fromEntries(names.map((m) => [m, outcomes.map((o) => o[m])])) as Record<MetricName, number[]>;
  const metrics = Object.fromEntries(names.map((m) => [m, spreadOf(perSeed[m])])) as Record<MetricName, Spread>;
  return { policy: policy.name, describe: policy.describe, restorer, metrics, perSeed, seconds };
}

export function evaluationOf(
  results: readonly PolicyResult[],
  run: { seeds: readonly number[]; durationS: number; fastGapS: number; wallS: number },
): AgentEvaluation {
  const front = paretoFront(results);
  const agent = results.find((r) => r.policy === 'agent');
  const verdicts = agent ? results.filter((r) => r !== agent).map((r) => goalVerdict(agent, r)) : [];
  return {
    bench: 'agent',
    createdAt: new Date().toISOString(),
    ...run,
    definitions: METRIC_DEFINITIONS,
    policies: results,
    paretoFront: front,
    agentOnFront: front.includes('agent'),
    verdicts,
    meetsGoal: agent !== undefined && front.includes('agent') && verdicts.every((v) => v.meets),
  };
}

const TABLE_ROWS: ReadonlyArray<readonly [MetricName, number]> = [
  ['dose', 1],
  ['cellsAlive', 1],
  ['mitosesOccurred', 1],
  ['mitosesImagedFast', 1],
  ['mitosesDetected', 1],
  ['falseFires', 1],
  ['ssim', 3],
  ['ssimEvents', 3],
  ['ssimRaw', 3],
  ['frames', 0],
  ['framesInEvents', 0],
];

/** Metrics as rows, policies as columns: mean ± sd [min–max] over seeds. */
export function formatTable(evaluation: AgentEvaluation): string {
  const width = 35;
  const seeds = evaluation.seeds.length;
  // a metric some seeds lack (no frame inside a mitosis) says over how many it is
  const cell = (s: Spread, digits: number) =>
    s.n === 0
      ? '–'
      : `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]${s.n < seeds ? ` n=${s.n}` : ''}`;
  const head = ['metric'.padEnd(20), ...evaluation.policies.map((p) => p.policy.padEnd(width))].join('');
  const rows = TABLE_ROWS.map(([m, digits]) =>
    [m.padEnd(20), ...evaluation.policies.map((p) => cell(p.metrics[m], digits).padEnd(width))].join(''),
  );
  const definitions = Object.entries(evaluation.definitions).map(([k, v]) => `  ${k}: ${v}`);
  return [
    `${evaluation.seeds.length} seeds (${evaluation.seeds.join(', ')}), ${evaluation.durationS} s each; mean ± sd [min–max] over seeds`,
    head,
    ...rows,
    `definitions (fastGapS = ${evaluation.fastGapS} s):`,
    ...definitions,
    `Pareto front (dose ↓, cellsAlive ↑, mitosesImagedFast ↑, ssimEvents ↑): ${evaluation.paretoFront.join(', ')}; agent ${evaluation.agentOnFront ? 'ON' : 'NOT on'} the front`,
    ...evaluation.verdicts.map((v) => v.line),
    `goal ${evaluation.meetsGoal ? 'MET' : 'NOT met'}`,
  ].join('\n');
}

/** One line per policy, the means flat (with …Sd), as the other benches print. */
export function jsonLines(evaluation: AgentEvaluation): string[] {
  const high = evaluation.policies.find((p) => p.policy === 'fixed-high')?.metrics.dose.mean ?? NaN;
  return evaluation.policies.map((p) => {
    const flat: Record<string, unknown> = { bench: 'agent', policy: p.policy };
    for (const [m, digits] of TABLE_ROWS) {
      flat[m] = round(p.metrics[m].mean, digits + 2);
      flat[`${m}Sd`] = round(p.metrics[m].sd, digits + 2);
    }
    const verdict = evaluation.verdicts.find((v) => v.against === p.policy);
    return JSON.stringify({
      ...flat,
      mitosesCaptured: round(p.metrics.mitosesCaptured.mean, 2),
      // fixed-high's dose over this policy's: how many times less light it used
      ratio: round(high / p.metrics.dose.mean, 2),
      restorer: p.restorer,
      seeds: evaluation.seeds.length,
      onParetoFront: evaluation.paretoFront.includes(p.policy),
      ...(p.policy === 'agent' ? { meetsGoal: evaluation.meetsGoal } : verdict ? { agentMeetsGoalAgainst: verdict.meets } : {}),
      doseUnit: '%·s (1 % = 1 mW at the sample)',
      seconds: round(p.seconds, 1),
    });
  });
}

/** The document and its plot, each written whole (a reader never sees half a file). */
export async function writeEvaluation(evaluation: AgentEvaluation, dir: string): Promise<{ json: string; svg: string }> {
  await mkdir(dir, { recursive: true });
  const svg = evaluationSvg(
    evaluation.policies.map((p) => ({
      label: p.policy,
      dose: p.metrics.dose,
      ssimEvents: p.metrics.ssimEvents,
      cellsAlive: p.metrics.cellsAlive,
      onFront: evaluation.paretoFront.includes(p.policy),
    })),
  );
  const paths = { json: join(dir, EVALUATION_FILES.json), svg: join(dir, EVALUATION_FILES.svg) };
  await writeWhole(paths.svg, svg);
  await writeWhole(paths.json, `${JSON.stringify(evaluation, nanAsNull, 2)}\n`);
  return paths;
}

async function writeWhole(path: string, text: string): Promise<void> {
  await writeFile(`${path}.part`, text);
  await rename(`${path}.part`, path);
}

const nanAsNull = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value);

function round(v: number, digits: number): number {
  return Number.isFinite(v) ? Number(v.toFixed(digits)) : v;
}
