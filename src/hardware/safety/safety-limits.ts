import { z } from 'zod';

const percent = z.number().min(0).max(100);

/** Dose is power × on-time summed over channels, in % · s, or in mW · s when each channel's full-scale mW is known. */
/** Power is lowered as the budget is used so that this long at the new power still fits; default maxExposureMs. */
const reserveMs = z.number().positive().optional();

const percentDoseSchema = z
  .object({
    windowS: z.number().positive().max(86_400),
    percentSeconds: z.number().nonnegative(),
    reserveMs,
  })
  .strict();

const milliwattDoseSchema = z
  .object({
    windowS: z.number().positive().max(86_400),
    milliwattSeconds: z.number().nonnegative(),
    reserveMs,
    /** Output of each channel at 100 %, mW (one number for all channels, or one per channel index). */
    fullScaleMw: z.union([z.number().nonnegative(), z.array(z.number().nonnegative()).min(1)]),
  })
  .strict();

export const lightSafetyLimitsSchema = z
  .object({
    /** Highest power a channel may get, % (one number for all, or one per channel index; unlisted channels get 0). */
    maxPowerPercent: z.union([percent, z.array(percent).min(1)]),
    maxExposureMs: z.number().positive(),
    maxDosePerWindow: z.union([percentDoseSchema, milliwattDoseSchema]).optional(),
    /** What a failed model decision (NaN, timeout, exception) falls back to, %; never more than the channel has now. */
    fallbackPowerPercent: percent.default(0),
    /** Light is cut this long before the dose budget would run out, to cover the command's own latency. */
    budgetCutoffLeadMs: z.number().int().min(0).max(10_000).default(50),
    /**
     * A plan, preset, REST or socket request for more light than the limits: clamp (apply the limit, log it) or
     * refuse (400 naming the limit; nothing sent). The agent and models are always clamped, never refused.
     */
    overLimit: z.enum(['clamp', 'refuse']).default('clamp'),
  })
  .strict();

export type LightSafetyLimitsInput = z.input<typeof lightSafetyLimitsSchema>;
export type LightSafetyLimits = z.output<typeof lightSafetyLimitsSchema>;

export function maxPowerPercentFor(limits: LightSafetyLimits, channel: number): number {
  const max = limits.maxPowerPercent;
  return typeof max === 'number' ? max : (max[channel] ?? 0);
}

/** Dose accrued per second by one channel at `powerPercent`, in the budget's unit. */
export function doseRateFor(limits: LightSafetyLimits, channel: number, powerPercent: number): number {
  const dose = limits.maxDosePerWindow;
  if (!dose || !('milliwattSeconds' in dose)) return powerPercent;
  const fullScale = typeof dose.fullScaleMw === 'number' ? dose.fullScaleMw : (dose.fullScaleMw[channel] ?? 0);
  return (powerPercent / 100) * fullScale;
}

export interface DoseBudget {
  readonly amount: number;
  readonly windowS: number;
  readonly unit: '%·s' | 'mW·s';
  readonly reserveS: number;
}

export function doseBudget(limits: LightSafetyLimits): DoseBudget | undefined {
  const dose = limits.maxDosePerWindow;
  if (!dose) return undefined;
  const reserveS = (dose.reserveMs ?? limits.maxExposureMs) / 1000;
  return 'milliwattSeconds' in dose
    ? { amount: dose.milliwattSeconds, windowS: dose.windowS, unit: 'mW·s', reserveS }
    : { amount: dose.percentSeconds, windowS: dose.windowS, unit: '%·s', reserveS };
}
