import { z } from 'zod';

/**
 * The `jobs` section: offline reconstructions (Deep-STORM, CARE) cut into chunks. With `redis.url` they are queued
 * on BullMQ for `scope worker` processes on any machine that sees the same storage; without it they run in the
 * process that submits them, with the same chunks and the same results.
 */
export const jobsConfigSchema = z
  .object({
    /** The service's /api/jobs (in-process, or on Redis when redis.url is set); false: 404 there, saying so. */
    enabled: z.boolean().default(true),
    redis: z
      .object({
        /** redis://host:port[/db]; null runs jobs in-process. */
        url: z
          .string()
          .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
          .nullable()
          .default(null),
        /** Needed whenever the host is not loopback: an open Redis lets anyone who reaches it run jobs. */
        password: z.string().min(1).nullable().default(null),
      })
      .strict()
      .default({ url: null, password: null }),
    /** Root every job's input, chunks and output are named under; storage.directory when null. */
    storage: z.string().min(1).nullable().default(null),
    /** Deep-STORM frames per chunk; a multiple of the network's batch (4), so chunks batch frames as one run does. */
    stormFramesPerChunk: z.number().int().min(4).max(100_000).multipleOf(4).default(200),
    /** CARE planes per chunk. */
    denoisePlanesPerChunk: z.number().int().min(1).max(10_000).default(1),
    /** Tries per chunk before it counts as failed (a worker that dies mid-chunk is handled by the stall check). */
    attempts: z.number().int().min(1).max(100).default(2),
    /** A worker's lock on its chunk lasts this long unless renewed (it renews at half); a dead worker's chunk is retried after it. */
    lockDurationMs: z.number().int().min(500).max(3_600_000).default(30_000),
    /** How often workers look for chunks whose worker died. */
    stalledIntervalMs: z.number().int().min(500).max(3_600_000).default(30_000),
    /** Times a chunk may lose its worker before it counts as failed. */
    maxStalledCount: z.number().int().min(0).max(100).default(2),
  })
  .strict();

export type JobsConfig = z.infer<typeof jobsConfigSchema>;

/** The sections the job queue and its workers read. */
export interface JobsSettings {
  readonly jobs: JobsConfig;
  readonly storage: { readonly directory: string };
}
