import { z } from 'zod';

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_", "-"')
  .max(80);

/** POST /api/care/trainings: the data (one of three sources), the mode, and any training setting to override. */
export const trainingRequestSchema = z
  .object({
    /** A calibration made by POST /api/care/calibrations. */
    calibrationId: z.string().min(1).optional(),
    /** A folder in CSBDeep's layout: low/ and high/ with files of the same names. */
    pairsDir: z.string().min(1).optional(),
    /** A folder of noisy frames only (Noise2Void). */
    noisyDir: z.string().min(1).optional(),
    /** care: supervised on low/high pairs; n2v: Noise2Void on noisy frames (a calibration's or pairs folder's low/ frames). */
    mode: z.enum(['care', 'n2v']).default('care'),
    name: name.optional(),
    /** Deploy into the live CARE branch when done, if it beats the best classical filter by careTraining.training.minGainDb. */
    deploy: z.boolean().default(false),
    network: z.enum(['tiny', 'small', 'csbdeep']).optional(),
    epochs: z.number().int().min(1).max(10_000).optional(),
    stepsPerEpoch: z.number().int().min(1).max(100_000).optional(),
    batch: z.number().int().min(1).max(1024).optional(),
    patchPx: z.number().int().min(8).max(1024).optional(),
    patchesPerImage: z.number().int().min(1).max(100_000).optional(),
    learningRate: z.number().positive().max(1).optional(),
    heldOutPairs: z.number().int().min(1).max(1000).optional(),
    seed: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((r) => [r.calibrationId, r.pairsDir, r.noisyDir].filter((s) => s !== undefined).length === 1, {
    message: 'give exactly one of calibrationId, pairsDir or noisyDir',
    path: ['calibrationId'],
  })
  .refine((r) => r.mode === 'n2v' || r.noisyDir === undefined, { message: "noisy frames alone train Noise2Void: add mode: 'n2v'", path: ['noisyDir'] });

export type TrainingRequest = z.infer<typeof trainingRequestSchema>;
