import { z } from 'zod';
import { jobRestorationSchema } from './restoration-record';

/** Storage keys are relative paths under the job storage's root: no absolute paths, no `..`, so every machine resolves them alike. */
export const storageKeySchema = z
  .string()
  .min(1)
  .refine((key) => !key.startsWith('/') && !key.split(/[\\/]/).includes('..'), 'must be a path relative to the job storage, without ..');

/** What the submitter read from the data set's header, so that workers need not agree on anything else. */
export const datasetSchema = z
  .object({
    key: storageKeySchema,
    planeCount: z.number().int().positive(),
    widthPx: z.number().int().positive(),
    heightPx: z.number().int().positive(),
    pixelSizeUm: z.number().positive().nullable(),
    datasetUuid: z.string().nullable(),
  })
  .strict();

export const stormJobSchema = z
  .object({
    kind: z.literal('storm'),
    model: z.string().min(1),
    runtime: z.enum(['auto', 'onnx', 'tfjs']),
    pixelSizeNm: z.number().positive().nullable(),
  })
  .strict();

export const denoiseJobSchema = z
  .object({
    kind: z.literal('denoise'),
    model: z.string().min(1),
    runtime: z.enum(['auto', 'onnx', 'tfjs']),
  })
  .strict();

export const jobSpecSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$/, 'letters, digits, _ . - only'),
    method: z.discriminatedUnion('kind', [stormJobSchema, denoiseJobSchema]),
    dataset: datasetSchema,
    output: storageKeySchema,
    submittedAt: z.string(),
  })
  .strict();

export type JobSpec = z.infer<typeof jobSpecSchema>;
export type JobKind = JobSpec['method']['kind'];

/** One chunk: planes [first, first + count) of the data set. */
export const chunkTaskSchema = z
  .object({
    index: z.number().int().nonnegative(),
    first: z.number().int().nonnegative(),
    count: z.number().int().positive(),
  })
  .strict();

export type ChunkTask = z.infer<typeof chunkTaskSchema>;

/** What a chunk job carries on the queue (checked again by the worker that takes it). */
export const chunkPayloadSchema = z.object({ spec: jobSpecSchema, task: chunkTaskSchema }).strict();
export type ChunkPayload = z.infer<typeof chunkPayloadSchema>;

/** What a chunk job returns: where its result lies. */
export const chunkOutcomeSchema = z
  .object({
    index: z.number().int().nonnegative(),
    key: storageKeySchema,
    bytes: z.number().int().nonnegative(),
    worker: z.string(),
    modelMs: z.number().nonnegative(),
  })
  .strict();

export type ChunkOutcome = z.infer<typeof chunkOutcomeSchema>;

export const mergePayloadSchema = z.object({ spec: jobSpecSchema, chunks: z.array(chunkTaskSchema).min(1) }).strict();
export type MergePayload = z.infer<typeof mergePayloadSchema>;

/** The merged job, as result.json and the merge job's return value state it. */
/** Deep-STORM jobs: SQUIRREL over the whole movie (as `scope storm --quality`), the error map and figures' keys. */
export const stormQualitySchema = z
  .object({
    frames: z.number().int().positive(),
    rsp: z.number(),
    rse: z.number(),
    rseRelative: z.number(),
    rsfSigmaNm: z.number(),
    alpha: z.number(),
    beta: z.number(),
    errorMap: storageKeySchema,
    figures: storageKeySchema,
  })
  .strict();

export type StormQuality = z.infer<typeof stormQualitySchema>;

export const jobResultSchema = z
  .object({
    id: z.string(),
    state: z.enum(['completed', 'partial', 'failed']),
    /** Null when no chunk could be merged (nothing written). */
    output: storageKeySchema.nullable(),
    chunks: z.number().int().positive(),
    chunksMerged: z.number().int().nonnegative(),
    planesMerged: z.number().int().nonnegative(),
    failedChunks: z.array(
      z.object({ index: z.number().int(), first: z.number().int(), count: z.number().int(), error: z.string() }).strict(),
    ),
    /** Denoise jobs: the raw data set, the model, each plane's quality figures and where their records lie. */
    restoration: jobRestorationSchema.optional(),
    superResolution: stormQualitySchema.optional(),
  })
  .strict();

export type JobResult = z.infer<typeof jobResultSchema>;
