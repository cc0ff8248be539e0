import type { AgentParams } from './agent-params';
import type { AgentDecision, AgentInputs } from './agent-decision';

/** Seeded uniform numbers in [0, 1) (mulberry32): small, fast and the same everywhere. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The transparent controller. Light follows image quality (SNR ∝ √photons, so the power for the target SNR is
 * p·(target/snr)², at most halved or doubled per step); predicted damage above the threshold cuts light and slows
 * the frame rate; a detected mitosis raises the frame rate for a while if the dose budget allows; the dose budget
 * caps everything, paced as if every frame left came at the event rate, so the light stays steady through events.
 * A failed predictor means the lowest adequate light, never more than before.
 */
export function decideIllumination(
  inputs: AgentInputs,
  previous: AgentDecision,
  params: AgentParams,
  uniform: () => number,
): { decision: AgentDecision; reason: string } {
  const reasons: string[] = [];
  const p =
    finite(inputs.lastIlluminationPercent) && inputs.lastIlluminationPercent > 0
      ? inputs.lastIlluminationPercent
      : previous.illuminationPercent;
  const exposureMs = params.exposureMs;
  const adequate = finite(inputs.snr) && inputs.snr > 0 ? clampTo(p * (params.targetSnr / inputs.snr) ** 2, p / 2, p * 2) : undefined;
  const dither = 1 + params.ditherFraction * (2 * uniform() - 1);

  if (!finite(inputs.predictedRisk)) {
    const lowest = Math.min(previous.illuminationPercent, adequate ?? params.fallbackIlluminationPercent);
    const illuminationPercent = clampTo(lowest, 0, Math.min(previous.illuminationPercent, params.maxIlluminationPercent));
    return {
      decision: {
        illuminationPercent,
        exposureMs: Math.min(exposureMs, previous.exposureMs),
        intervalS: Math.max(previous.intervalS, params.baseIntervalS),
        mode: 'fallback',
        eventUntilS: null,
      },
      reason: `predictor failed (${inputs.predictorError ?? 'no number'}): lowest adequate light ${illuminationPercent.toFixed(2)} %, not above the previous ${previous.illuminationPercent.toFixed(2)} %`,
    };
  }

  let power = adequate ?? p;
  reasons.push(
    adequate === undefined
      ? 'no SNR estimate: power kept'
      : `SNR ${inputs.snr!.toFixed(1)} vs target ${params.targetSnr}: power ${p.toFixed(2)} → ${power.toFixed(2)} %`,
  );
  let intervalS = previous.mode === 'event' ? params.baseIntervalS : previous.intervalS;
  const risk = inputs.predictedRisk;
  if (risk > params.riskThreshold) {
    power = Math.min(power, p * 0.6);
    intervalS = Math.min(params.maxIntervalS, intervalS * 1.5);
    reasons.push(`predicted damage ${risk.toFixed(2)} > ${params.riskThreshold}: less light, interval ${intervalS.toFixed(0)} s`);
  } else if (risk < params.riskThreshold / 2 && intervalS > params.baseIntervalS) {
    intervalS = Math.max(params.baseIntervalS, intervalS / 1.25);
    reasons.push(`predicted damage ${risk.toFixed(2)} low: interval back towards ${params.baseIntervalS} s`);
  }

  let eventUntilS = previous.eventUntilS !== null && previous.eventUntilS > inputs.timeS ? previous.eventUntilS : null;
  if (inputs.mitosisDetected && eventUntilS === null && risk <= params.riskThreshold) {
    eventUntilS = inputs.timeS + params.eventDurationS;
    reasons.push(`mitosis detected: ${params.eventIntervalS} s frames until ${eventUntilS.toFixed(0)} s`);
  }

  // The dose budget: what the remaining frames would use at this power must fit in what is left.
  const remainingS = Math.max(0, params.experimentDurationS - inputs.timeS);
  const left = Math.max(0, params.doseBudgetPercentSeconds - inputs.doseSoFarPercentSeconds);
  const framesLeft = (interval: number, until: number | null) => {
    const eventS = until === null ? 0 : Math.min(remainingS, until - inputs.timeS);
    return eventS / params.eventIntervalS + (remainingS - eventS) / interval + 1;
  };
  const fitsPower = (until: number | null) => left / (framesLeft(intervalS, until) * (exposureMs / 1000));
  // Paced for the worst case, every frame left at the faster rate: an event found later is then followed at the
  // same light, instead of the budget spent on the first events and the last ones starved.
  const fastestS = Math.min(params.eventIntervalS, intervalS);
  const budgetPower = left / ((remainingS / fastestS + 1) * (exposureMs / 1000));
  // an event is followed at low light (a restorer recovers it) unless even the minimum light does not fit
  if (eventUntilS !== null && budgetPower < params.minIlluminationPercent) {
    reasons.push('event frame rate does not fit the dose budget: normal rate');
    eventUntilS = null;
  }
  if (power > budgetPower) {
    power = budgetPower;
    reasons.push(
      `dose budget: ${inputs.doseSoFarPercentSeconds.toFixed(1)} of ${params.doseBudgetPercentSeconds} %·s used, power ≤ ${budgetPower.toFixed(2)} %`,
    );
  }
  if (power < params.minIlluminationPercent && intervalS < params.maxIntervalS) {
    intervalS = Math.min(params.maxIntervalS, intervalS * 1.5);
    power = Math.min(params.minIlluminationPercent, fitsPower(eventUntilS));
    reasons.push(`power below the minimum: interval ${intervalS.toFixed(0)} s`);
  }
  const illuminationPercent = clampTo(power * dither, 0, params.maxIlluminationPercent);
  const mode = eventUntilS !== null ? 'event' : 'normal';
  return {
    decision: { illuminationPercent, exposureMs, intervalS: mode === 'event' ? params.eventIntervalS : intervalS, mode, eventUntilS },
    reason: reasons.join('; '),
  };
}

function clampTo(value: number, low: number, high: number): number {
  if (!Number.isFinite(value)) return low;
  return Math.min(high, Math.max(low, value));
}
