import { z } from 'zod';

/**
 * The `models` section of the service configuration. Fields other than `runtime` have defaults, so configurations
 * written before they existed stay valid; the lead's config schema can embed this schema as is.
 */
export const branchPolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latest-only') }).strict(),
  z.object({ kind: z.literal('drop-oldest'), capacity: z.number().int().min(1).max(1000) }).strict(),
  z.object({ kind: z.literal('every-nth'), n: z.number().int().min(1).max(100_000) }).strict(),
]);

export const modelsConfigSchema = z
  .object({
    /** Inference runtime: ONNX Runtime where a model ships ONNX weights, else TensorFlow.js ('auto'). */
    runtime: z.enum(['auto', 'onnx', 'tfjs']),
    /** Folders searched for models by name, before the models shipped with the project. */
    directories: z.array(z.string().min(1)).default([]),
    care: z
      .object({
        /** Model used by the live CARE branch and by `scope denoise` without --model. */
        model: z.string().min(1).default('care-default'),
        /** How live frames are fed to CARE when it is slower than the camera. */
        policy: branchPolicySchema.default({ kind: 'latest-only' }),
        /** Restore acquisitions live: restored planes and their uncertainty saved beside the raw data set. */
        live: z.boolean().default(false),
      })
      .strict()
      .default({ model: 'care-default', policy: { kind: 'latest-only' }, live: false }),
    storm: z
      .object({
        /** Model of the live Deep-STORM branch and of `scope storm` without --model. */
        model: z.string().min(1).default('deep-storm-default'),
        /** Super-resolve acquisitions live; the image and its SQUIRREL error map saved beside the raw data set. */
        live: z.boolean().default(false),
        method: z.enum(['deep-storm', 'classical']).default('deep-storm'),
        /** Side of the centred square region super-resolved live, camera pixels (×8 in the output). */
        roiPx: z.number().int().min(8).max(512).default(64),
      })
      .strict()
      .default({ model: 'deep-storm-default', live: false, method: 'deep-storm', roiPx: 64 }),
    zoo: z
      .object({
        /** A BioImage Model Zoo package with ONNX weights: its folder (rdf.yaml or bioimageio.yaml), or its name in `directories`. */
        model: z.string().min(1).optional(),
        /** Run it on every written frame of every acquisition; its outputs saved beside the raw data set and streamed. */
        live: z.boolean().default(false),
        /** How live frames are fed to it when it is slower than the camera. */
        policy: branchPolicySchema.default({ kind: 'latest-only' }),
        /** Which of the package's outputs is shown and saved (0: the first). */
        output: z.number().int().min(0).default(0),
        /** ONNX Runtime threads for it; the cores present when absent. */
        threads: z.number().int().min(1).max(256).optional(),
      })
      .strict()
      .refine((zoo) => !zoo.live || zoo.model !== undefined, { message: 'models.zoo.live needs models.zoo.model (a Zoo package folder, or its name in models.directories)', path: ['model'] })
      .default({ live: false, policy: { kind: 'latest-only' }, output: 0 }),
  })
  .strict();

export type ModelsConfig = z.infer<typeof modelsConfigSchema>;

/** The section the models module reads (the root schema composes it). */
export interface ModelsSettings {
  readonly models: ModelsConfig;
}
