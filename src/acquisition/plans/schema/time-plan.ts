import { z } from 'zod';
import type { SinglePhaseTimePlan, TimePlan } from '../plan-types';
import { boolean, durationMicros, integer, planUnion } from './fields';

const loops = () => integer((n) => n.gt(0, { error: 'must be > 0' }));

const intervalLoops = z
  .object({ interval: durationMicros(), loops: loops(), prioritize_duration: boolean(false) })
  .transform((v): SinglePhaseTimePlan => ({
    kind: 'interval_loops',
    intervalUs: v.interval,
    loops: v.loops,
    prioritizeDuration: v.prioritize_duration,
  }));

// useq divides the duration by (loops - 1): one loop would fail there, so it is refused here.
const durationLoops = z
  .object({
    duration: durationMicros(),
    loops: integer((n) => n.gt(1, { error: 'must be > 1 when a duration is given' })),
    prioritize_duration: boolean(false),
  })
  .transform((v): SinglePhaseTimePlan => ({
    kind: 'duration_loops',
    durationUs: v.duration,
    loops: v.loops,
    prioritizeDuration: v.prioritize_duration,
  }));

// useq divides the duration by the interval: a zero interval would fail there, so it is refused here.
const intervalDuration = z
  .object({ interval: durationMicros(), duration: durationMicros(), prioritize_duration: boolean(true) })
  .refine((v) => v.interval > 0, { message: 'must be > 0 when a duration is given', path: ['interval'] })
  .transform((v): SinglePhaseTimePlan => ({
    kind: 'interval_duration',
    intervalUs: v.interval,
    durationUs: v.duration,
    prioritizeDuration: v.prioritize_duration,
  }));

const singlePhaseForms = [
  { fields: ['interval', 'duration', 'prioritize_duration'], required: ['interval', 'duration'], schema: intervalDuration },
  { fields: ['interval', 'loops', 'prioritize_duration'], required: ['interval', 'loops'], schema: intervalLoops },
  { fields: ['duration', 'loops', 'prioritize_duration'], required: ['duration', 'loops'], schema: durationLoops },
] as const;

const singlePhaseSchema = planUnion<SinglePhaseTimePlan>('time plan phase', singlePhaseForms, { mode: 'smart' });

const multiPhase = z
  .object({
    phases: z.array(singlePhaseSchema, { error: 'must be a list of time plans' }),
    prioritize_duration: boolean(false),
  })
  .transform((v): TimePlan => ({ kind: 'multi_phase', phases: v.phases, prioritizeDuration: v.prioritize_duration }));

/** useq's AnyTimePlan: MultiPhaseTimePlan, TIntervalDuration, TIntervalLoops, TDurationLoops. A list means phases. */
export const timePlanSchema = z.preprocess(
  (value) => (Array.isArray(value) ? { phases: value } : value),
  planUnion<TimePlan>(
    'time plan',
    [{ fields: ['phases', 'prioritize_duration'], required: ['phases'], schema: multiPhase }, ...singlePhaseForms],
    { mode: 'smart' },
  ),
);
