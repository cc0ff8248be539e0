import { z } from 'zod';

/** The agent's settings: targets, limits of its own (the hardware envelope still has the last word), timing. */
export const agentParamsSchema = z
  .object({
    /** Seeds the small dither on illumination, so two runs with the same seed decide the same. */
    seed: z.number().int().default(1),
    minIlluminationPercent: z.number().min(0).max(100).default(1),
    maxIlluminationPercent: z.number().min(0).max(100).default(60),
    startIlluminationPercent: z.number().min(0).max(100).default(12),
    /** Illumination when the predictor fails and nothing says what is adequate. */
    fallbackIlluminationPercent: z.number().min(0).max(100).default(3),
    /** Exposure when the plan gives none; a plan's own exposure is what the user asked for and the agent starts from. */
    exposureMs: z.number().positive().max(10_000).default(100),
    /**
     * The user's bound on exposure: the agent never asks for more (nor more than the safety envelope's
     * maxExposureMs, which the service checks at load). Unset: the envelope's.
     */
    maxExposureMs: z.number().positive().max(10_000).optional(),
    /**
     * The user's bound on timing: how many times the plan's own interval the agent may wait between time points.
     * 1 (default): never slower than planned; 3: up to 3× the planned interval. Faster than planned only where
     * eventIntervalS allows it (following an event).
     */
    intervalStretchMax: z
      .number()
      .min(1, 'must be at least 1 (1 = never slower than the plan; 3 = up to 3× the planned interval)')
      .max(1000, 'must be at most 1000 (× the planned interval)')
      .default(1),
    baseIntervalS: z.number().positive().default(180),
    maxIntervalS: z.number().positive().default(600),
    /** Frame interval while an event of interest (mitosis) is followed. */
    eventIntervalS: z.number().positive().default(60),
    eventDurationS: z.number().positive().default(1200),
    /** Image SNR to keep (raw frames; CARE restores from there). */
    targetSnr: z.number().positive().default(30),
    /** Predicted damage probability above which the agent backs off. */
    riskThreshold: z.number().min(0).max(1).default(0.3),
    /** Light the whole experiment may use, %·s; the agent plans its frames to fit. */
    doseBudgetPercentSeconds: z.number().positive().default(70),
    experimentDurationS: z.number().positive().default(7200),
    /** Relative dither on illumination (seeded), to keep the controller out of limit cycles. */
    ditherFraction: z.number().min(0).max(0.2).default(0.02),
    predictorTimeoutMs: z.number().positive().default(500),
  })
  .strict()
  .superRefine((p, ctx) => {
    const notAbove = (low: keyof typeof p, high: keyof typeof p) => {
      const [a, b] = [p[low], p[high]];
      if (typeof a === 'number' && typeof b === 'number' && a > b)
        ctx.addIssue({ code: 'custom', path: [low], message: `must not exceed ${high} (${a} > ${b})` });
    };
    notAbove('minIlluminationPercent', 'maxIlluminationPercent');
    notAbove('startIlluminationPercent', 'maxIlluminationPercent');
    notAbove('fallbackIlluminationPercent', 'maxIlluminationPercent');
    notAbove('baseIntervalS', 'maxIntervalS');
    notAbove('eventIntervalS', 'maxIntervalS');
    notAbove('exposureMs', 'maxExposureMs');
  });

export type AgentParamsInput = z.input<typeof agentParamsSchema>;
export type AgentParams = z.output<typeof agentParamsSchema>;
