import { z } from 'zod';

const position = z.object({ xUm: z.number().finite(), yUm: z.number().finite() }).strict();

/** POST /api/care/calibrations and `scope calibrate care`: what to acquire, validated at the edge. */
export const calibrationRequestSchema = z
  .object({
    /** The light level the user will image at, % of the channel's power. */
    lowPercent: z.number().finite().gt(0).max(100),
    /** The level of the targets, % (must lie within safety.light.maxPowerPercent). */
    highPercent: z.number().finite().gt(0).max(100),
    exposureMs: z.number().finite().positive(),
    /** Light source channel; careTraining.calibration.channel when absent. */
    channel: z.number().int().min(0).optional(),
    /** Stage positions, µm; absent: a grid of `count` fields around the current position. */
    positions: z.array(position).min(1).max(1000).optional(),
    count: z.number().int().min(1).max(1000).default(4),
    /** Grid spacing, µm; absent: one field of view, so no field is lit twice. */
    gridStepUm: z.number().finite().positive().optional(),
    /** Light the whole calibration may use, % · s (power × exposure summed over every frame, re-takes included). */
    doseBudgetPercentSeconds: z.number().finite().positive(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_", "-"')
      .max(80)
      .optional(),
  })
  .strict()
  .refine((r) => r.lowPercent < r.highPercent, { message: 'must be below highPercent', path: ['lowPercent'] });

export type CalibrationRequest = z.infer<typeof calibrationRequestSchema>;
export type StagePosition = z.infer<typeof position>;
