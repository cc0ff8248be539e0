/**
 * P13's goal for the agent, checked on the means over seeds: on the Pareto front of (lower dose, more cells alive,
 * more mitoses imaged fast, higher SSIM during events), and against each simpler policy better on at least one of
 * (cells alive, mitoses imaged fast, SSIM during events) without being worse on the others. "Better" and "worse"
 * mean by more than the noise: the pooled seed-to-seed standard deviation of the two policies, √((sd₁² + sd₂²)/2).
 */
import type { Spread } from './agent-metrics';

export interface PolicySummary {
  readonly policy: string;
  readonly metrics: Readonly<Record<string, Spread>>;
}

export const PARETO_OBJECTIVES: ReadonlyArray<{ readonly metric: string; readonly better: 'lower' | 'higher' }> = [
  { metric: 'dose', better: 'lower' },
  { metric: 'cellsAlive', better: 'higher' },
  { metric: 'mitosesImagedFast', better: 'higher' },
  { metric: 'ssimEvents', better: 'higher' },
];

export const GOAL_METRICS = ['cellsAlive', 'mitosesImagedFast', 'ssimEvents'] as const;

/** The objective as "higher is better"; a metric a policy lacks is the worst there is. */
function score(s: PolicySummary, objective: (typeof PARETO_OBJECTIVES)[number]): number {
  const mean = s.metrics[objective.metric]?.mean;
  if (mean === undefined || !Number.isFinite(mean)) return Number.NEGATIVE_INFINITY;
  return objective.better === 'lower' ? -mean : mean;
}

/** a dominates b: at least as good on every objective, better on one (means). */
export function dominates(a: PolicySummary, b: PolicySummary): boolean {
  const pairs = PARETO_OBJECTIVES.map((o) => [score(a, o), score(b, o)] as const);
  return pairs.every(([x, y]) => x >= y) && pairs.some(([x, y]) => x > y);
}

/** The policies no other policy dominates, in their order. */
export function paretoFront(summaries: readonly PolicySummary[]): string[] {
  return summaries.filter((s) => !summaries.some((o) => o !== s && dominates(o, s))).map((s) => s.policy);
}

export type ComparisonOutcome = 'better' | 'worse' | 'within noise' | 'not comparable';

export interface MetricComparison {
  readonly metric: string;
  /** agent − other, of the means. */
  readonly difference: number;
  readonly noise: number;
  readonly outcome: ComparisonOutcome;
}

export interface Verdict {
  readonly against: string;
  readonly meets: boolean;
  readonly comparisons: readonly MetricComparison[];
  readonly line: string;
}

export function compareMetric(agent: Spread, other: Spread, metric: string): MetricComparison {
  const difference = agent.mean - other.mean;
  const noise = Math.sqrt((agent.sd ** 2 + other.sd ** 2) / 2);
  if (!Number.isFinite(difference) || !Number.isFinite(noise)) return { metric, difference, noise, outcome: 'not comparable' };
  const outcome = difference > noise ? 'better' : difference < -noise ? 'worse' : 'within noise';
  return { metric, difference, noise, outcome };
}

export function goalVerdict(agent: PolicySummary, other: PolicySummary): Verdict {
  const comparisons = GOAL_METRICS.map((m) => compareMetric(agent.metrics[m], other.metrics[m], m));
  const better = comparisons.filter((c) => c.outcome === 'better');
  const worse = comparisons.filter((c) => c.outcome === 'worse');
  const meets = better.length > 0 && worse.length === 0;
  const detail = comparisons.map((c) => `${c.metric} ${signed(c.difference)} (noise ${fmt(c.noise)}): ${c.outcome}`).join('; ');
  const why = meets
    ? `better on ${better.map((c) => c.metric).join(', ')}`
    : [
        ...worse.map((c) => `worse on ${c.metric} by ${fmt(-c.difference)} (${fmt(-c.difference / Math.max(c.noise, 1e-12))} × noise)`),
        ...(better.length === 0 ? [`better on none (closest: ${closest(comparisons)})`] : []),
      ].join('; ');
  return { against: other.policy, meets, comparisons, line: `agent vs ${other.policy}: ${meets ? 'MEETS' : 'MISSES'} — ${why}. ${detail}` };
}

/** The comparison nearest to counting as better: how far its difference is below the noise. */
function closest(comparisons: readonly MetricComparison[]): string {
  const candidates = comparisons.filter((c) => c.outcome !== 'not comparable');
  if (candidates.length === 0) return 'nothing comparable';
  const best = candidates.reduce((a, b) => (b.difference - b.noise > a.difference - a.noise ? b : a));
  return `${best.metric} ${signed(best.difference)}, needs > +${fmt(best.noise)}`;
}

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v));
const signed = (v: number) => (v >= 0 ? `+${fmt(v)}` : fmt(v));
