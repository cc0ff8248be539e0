import { z } from 'zod';

export const liveConfigSchema = z
  .object({
    maxFps: z.number().positive().max(1000),
    exposureMs: z.number().positive().max(60_000),
    previewMaxSizePx: z.number().int().min(32).max(4096),
  })
  .strict();

export const acquisitionConfigSchema = z
  .object({
    /**
     * hardware: time points without waits between them run as one camera sequence acquisition (pymmcore-plus's
     * hardware sequencing); software: one event at a time. A run's own option wins.
     */
    sequencing: z.enum(['software', 'hardware']),
    /**
     * What is known about the light of each channel preset, by preset name: a display colour (wins) or the
     * emission/excitation wavelength it is derived from. Presets not listed get a colour from their name.
     */
    channels: z.record(
      z.string().min(1),
      z
        .object({
          color: z
            .string()
            .regex(/^#?[0-9A-Fa-f]{6}$/, 'RRGGBB or #RRGGBB')
            .optional(),
          emissionNm: z.number().min(200).max(2000).optional(),
          excitationNm: z.number().min(200).max(2000).optional(),
        })
        .strict(),
    ),
  })
  .strict();

export const storageConfigSchema = z
  .object({
    directory: z.string().min(1),
    format: z.enum(['ome-tiff', 'ome-zarr']),
    zarr: z
      .object({
        version: z.union([z.literal(2), z.literal(3)], { error: 'must be 2 (NGFF 0.4 on zarr v2) or 3 (NGFF 0.5 on zarr v3 shards)' }),
        shardTargetMiB: z.number().positive().max(65_536),
      })
      .strict(),
  })
  .strict();

export type LiveConfig = z.infer<typeof liveConfigSchema>;
export type StorageConfig = z.infer<typeof storageConfigSchema>;

/** The sections the acquisition module reads (the root schema composes them). */
export interface AcquisitionSettings {
  readonly acquisition: z.infer<typeof acquisitionConfigSchema>;
  readonly storage: StorageConfig;
  readonly live: LiveConfig;
}
