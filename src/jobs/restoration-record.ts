import { z } from 'zod';

/**
 * One restored plane's quality figures, as `scope denoise --quality` writes them (RestorationQuality, plus the plane).
 * Not strict: a figure the restorer adds later is dropped from old chunks' reading, not a reason to refuse them.
 */
export const planeQualitySchema = z.object({
  plane: z.number().int().nonnegative(),
  uncertaintyMethod: z.enum(['laplace', 'flip-ensemble']),
  predictedRmse: z.number(),
  predictedNrmse: z.number(),
  predictedPsnrDb: z.number(),
  psnrCalibrated: z.boolean(),
  uncalibratedPsnrDb: z.number(),
  inputCheck: z
    .object({
      withinTrainingRange: z.boolean(),
      label: z.string().optional(),
      reasons: z.array(z.string()).readonly(),
      estimated: z.object({
        peakPhotons: z.number().nullable(),
        normalizedNoise: z.number(),
        noiseSigmaAdu: z.number(),
        darkLevelAdu: z.number(),
        aduPerPhoton: z.number().nullable(),
      }),
    })
    .optional(),
  uncertainFraction: z.number(),
  normalization: z.object({ low: z.number(), high: z.number() }),
});

export type PlaneQuality = z.infer<typeof planeQualitySchema>;

/** The CARE model that restored a chunk's planes, as scope denoise's provenance names it. */
export const restoringModelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    runtime: z.string(),
    uncertainty: z.enum(['laplace', 'flip-ensemble']),
  })
  .strict();

export type RestoringModel = z.infer<typeof restoringModelSchema>;

/** What a denoise chunk carries beside its planes: the model and each plane's quality, in plane order. */
export const chunkRestorationSchema = z.object({ model: restoringModelSchema, planes: z.array(planeQualitySchema) }).strict();
export type ChunkRestoration = z.infer<typeof chunkRestorationSchema>;

/**
 * What a merged denoise job says about its planes (result.json and the job's status): the raw data set they were
 * computed from, the model, where the quality records and the provenance lie, and each plane's figures (null for
 * a plane whose chunk failed: it is NaN in the output).
 */
export const jobRestorationSchema = z
  .object({
    raw: z.object({ key: z.string(), url: z.string(), uuid: z.string().nullable() }).strict(),
    model: restoringModelSchema.nullable(),
    quality: z.string(),
    provenance: z.string(),
    meanPredictedPsnrDb: z.number().nullable(),
    planes: z.array(planeQualitySchema.nullable()),
  })
  .strict();

export type JobRestoration = z.infer<typeof jobRestorationSchema>;
