import { z } from 'zod';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A job as a client asks for it (POST /api/jobs). The data set is a path under the job storage (relative to it, or
 * absolute inside it); a model is named, never a folder, so a client cannot make the service load files of its choice.
 */
export const jobSubmissionSchema = z
  .object({
    kind: z.enum(['storm', 'denoise']),
    dataset: z.string().min(1, 'must name a data set under the storage directory'),
    model: z.string().regex(MODEL_NAME, 'must be a model name (letters, digits, . _ -), not a path').optional(),
    runtime: z.enum(['auto', 'onnx', 'tfjs']).default('auto'),
    /** Frames (storm, a multiple of 4) or planes (denoise) per chunk; jobs.stormFramesPerChunk / denoisePlanesPerChunk by default. */
    chunkSize: z.number().int().positive().max(100_000).optional(),
    /** storm: the camera pixel size when the file states none (else the model's). */
    pixelSizeNm: z.number().positive().finite().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.kind === 'storm' && body.chunkSize !== undefined && body.chunkSize % 4 !== 0)
      ctx.addIssue({ code: 'custom', path: ['chunkSize'], message: 'must be a multiple of 4 (the Deep-STORM batch) for storm jobs' });
    if (body.kind === 'denoise' && body.pixelSizeNm !== undefined)
      ctx.addIssue({ code: 'custom', path: ['pixelSizeNm'], message: 'is for storm jobs only' });
  });

export type JobSubmission = z.infer<typeof jobSubmissionSchema>;
