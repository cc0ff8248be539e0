import type { IndexedList } from './plan-geometry';
import type { SinglePhaseTimePlan, TimePlan } from './plan-types';

/** Python's timedelta / int: the quotient in whole microseconds, ties to even. */
function divideRoundHalfEven(numerator: number, divisor: number): number {
  const a = BigInt(numerator);
  const b = BigInt(divisor);
  let quotient = a / b;
  let remainder = a % b;
  if (remainder < 0n) {
    quotient -= 1n;
    remainder += b;
  }
  const twice = 2n * remainder;
  if (twice > b || (twice === b && quotient % 2n !== 0n)) quotient += 1n;
  return Number(quotient);
}

export function phaseIntervalUs(phase: SinglePhaseTimePlan): number {
  return phase.kind === 'duration_loops' ? divideRoundHalfEven(phase.durationUs, phase.loops - 1) : phase.intervalUs;
}

export function phaseLoops(phase: SinglePhaseTimePlan): number {
  return phase.kind === 'interval_duration' ? Math.floor(phase.durationUs / phase.intervalUs) + 1 : phase.loops;
}

/** Start times in seconds after the sequence start, as useq's time plans yield them (timedelta arithmetic). */
export function timePlanPoints(plan: TimePlan): IndexedList<number> {
  if (plan.kind !== 'multi_phase') {
    const intervalUs = phaseIntervalUs(plan);
    return { length: phaseLoops(plan), at: (i) => (i * intervalUs) / 1e6 };
  }
  // A later phase starts where the previous one ended; its own first point (0) is not repeated.
  const segments: Array<{ firstIndex: number; count: number; originUs: number; intervalUs: number }> = [];
  let firstIndex = 1;
  let originUs = 0;
  for (const phase of plan.phases) {
    const count = phaseLoops(phase) - 1;
    const intervalUs = phaseIntervalUs(phase);
    segments.push({ firstIndex, count, originUs, intervalUs });
    firstIndex += count;
    originUs += count * intervalUs;
  }
  return {
    length: firstIndex,
    at: (i) => {
      if (i === 0) return 0;
      const segment = segments.find((s) => i < s.firstIndex + s.count);
      if (!segment) return NaN;
      return (segment.originUs + (i - segment.firstIndex + 1) * segment.intervalUs) / 1e6;
    },
  };
}
