/**
 * The policies of the agent bench, each as acquisition hooks over a plan: three fixed ones, the event-driven rule
 * (Mahecic et al. 2022) firing on every detection and firing once per mitosis event, and the agent. All light goes through the runner, the engine and the envelope; the
 * hooks only write the events.
 */
import type { MDAEvent } from '../../src/acquisition/plans';
import type { EventHooks } from '../../src/acquisition/runner/runner';
import { IlluminationAgent } from '../../src/agent/illumination-agent';
import { loadPhototoxPredictor } from '../../src/models/phototox';
import { EventDrivenRule } from './agent-event-rule';

export type PolicyName = 'fixed-high' | 'fixed-low' | 'fixed-low-care' | 'event-driven' | 'event-driven-tracked' | 'agent';

export interface Policy {
  readonly name: PolicyName;
  /** Its frames are scored after CARE restoration (else raw). */
  readonly care: boolean;
  /** The plan's interval, s. */
  readonly planIntervalS: number;
  readonly describe: string;
}

export const SLOW_INTERVAL_S = 120;
const LOW_PERCENT = 6;
const HIGH_PERCENT = 60;
const EXPOSURE_MS = 100;

/**
 * The user's bounds on the agent: the same 2-minute plan as the fixed policies, whose frames it may stretch to 10
 * minutes when the predicted damage asks for it, and bring to 1 a minute while it follows a mitosis (which uses the
 * plan's time points sooner). The event-driven rule's fast rate and window are the agent's, for a fair comparison.
 */
export const AGENT_BOUNDS = { intervalStretchMax: 5, eventIntervalS: 60 };
const EVENT_WINDOW_S = 1200;
/**
 * The plain rule compares over up to 660 s (the agent's setting before its detector got the hysteresis): it then
 * fires some 17 times a run outside any mitosis and images fast most of the time, which makes it the stronger peer
 * on mitoses imaged fast. The tracked rule compares as the agent does now (120 s) and fires once per event.
 */
const PLAIN_RULE_LOOKBACK_S = 660;

export const POLICIES: readonly Policy[] = [
  { name: 'fixed-high', care: false, planIntervalS: SLOW_INTERVAL_S, describe: `${HIGH_PERCENT} % every ${SLOW_INTERVAL_S} s` },
  { name: 'fixed-low', care: false, planIntervalS: SLOW_INTERVAL_S, describe: `${LOW_PERCENT} % every ${SLOW_INTERVAL_S} s` },
  { name: 'fixed-low-care', care: true, planIntervalS: SLOW_INTERVAL_S, describe: `${LOW_PERCENT} % every ${SLOW_INTERVAL_S} s + CARE` },
  {
    name: 'event-driven',
    care: true,
    planIntervalS: AGENT_BOUNDS.eventIntervalS,
    describe: `${LOW_PERCENT} % every ${SLOW_INTERVAL_S} s; ${AGENT_BOUNDS.eventIntervalS} s for ${EVENT_WINDOW_S} s after each detection (frames compared over ≤ ${PLAIN_RULE_LOOKBACK_S} s); + CARE`,
  },
  {
    name: 'event-driven-tracked',
    care: true,
    planIntervalS: AGENT_BOUNDS.eventIntervalS,
    describe: `as event-driven, but fast only after a mitosis event starts (the agent's hysteresis: one per mitosis); + CARE`,
  },
  {
    name: 'agent',
    care: true,
    planIntervalS: SLOW_INTERVAL_S,
    describe: `IlluminationAgent on the ${SLOW_INTERVAL_S} s plan, stretch ≤ ${AGENT_BOUNDS.intervalStretchMax}×, events at ${AGENT_BOUNDS.eventIntervalS} s; + CARE`,
  },
];

/** A policy ready for one run: its hooks, and when its own detector fired (null: it has none). */
export interface PolicyRun {
  readonly hooks: EventHooks<MDAEvent>[];
  readonly fireTimesS: readonly number[] | null;
  readonly fastGapS: number;
  dispose(): void;
}

export function policyRun(policy: Policy, seed: number, durationS: number, nowMs: () => number): PolicyRun {
  const fastGapS = 1.5 * AGENT_BOUNDS.eventIntervalS;
  if (policy.name === 'agent') {
    const agent = new IlluminationAgent({
      params: { seed, experimentDurationS: durationS, eventDurationS: EVENT_WINDOW_S, ...AGENT_BOUNDS },
      predictor: loadPhototoxPredictor(),
      now: nowMs,
    });
    const fireTimesS: number[] = [];
    const subscription = agent.decisions$.subscribe((r) => {
      if (r.inputs.mitosisDetected) fireTimesS.push(r.inputs.timeS);
    });
    return { hooks: [agent], fireTimesS, fastGapS, dispose: () => subscription.unsubscribe() };
  }
  if (policy.name === 'event-driven' || policy.name === 'event-driven-tracked') {
    const rule = new EventDrivenRule({
      illuminationPercent: LOW_PERCENT,
      exposureMs: EXPOSURE_MS,
      slowIntervalS: SLOW_INTERVAL_S,
      fastIntervalS: AGENT_BOUNDS.eventIntervalS,
      windowS: EVENT_WINDOW_S,
      ...(policy.name === 'event-driven' ? { fireOn: 'detection', lookbackS: PLAIN_RULE_LOOKBACK_S } : { fireOn: 'event' }),
      now: nowMs,
    });
    return { hooks: [rule], fireTimesS: rule.fireTimesS, fastGapS, dispose: () => undefined };
  }
  const illuminationPercent = policy.name === 'fixed-high' ? HIGH_PERCENT : LOW_PERCENT;
  const fixed: EventHooks<MDAEvent> = { beforeEvent: (e) => ({ ...e, illuminationPercent, exposureMs: EXPOSURE_MS }) };
  return { hooks: [fixed], fireTimesS: null, fastGapS, dispose: () => undefined };
}
