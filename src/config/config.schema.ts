import { modelsConfigSchema } from '../models/models.config';
import { z } from 'zod';
import { agentParamsSchema } from '../agent/policy/agent-params';
import { serverConfigSchema } from '../gateway/server.config';
import { lightSafetyLimitsSchema } from '../hardware/safety/safety-limits';
import { serialLightSourceConfigSchema } from '../hardware/serial/serial-light-source.config';

const endpointPattern = /^tcp:\/\/[^\s:]+:\d{1,5}$/;

export const configSchema = z
  .object({
    simulation: z
      .object({
        enabled: z.boolean(),
        seed: z.number().int().nonnegative(),
        microManagerConfig: z.string().min(1).nullable(),
        cameraWidthPx: z.number().int().min(16).max(2048),
        cameraHeightPx: z.number().int().min(16).max(2048),
        /** Also start the emulated CoolLED pE-4000 on a pseudo-terminal and drive the light over serial. */
        serialLightSource: z.boolean(),
        /** Simulated light sources append every command they receive to this file (JSON lines): the safety record. */
        lightLogFile: z.string().min(1).nullable().default(null),
      })
      .strict(),
    microManager: z
      .object({
        endpoint: z.string().regex(endpointPattern, 'must look like tcp://host:port'),
        timeoutMs: z.number().int().min(10).max(600_000),
        reconnectMaxDelayMs: z.number().int().min(10).max(600_000),
      })
      .strict(),
    server: serverConfigSchema,
    live: z
      .object({
        maxFps: z.number().positive().max(1000),
        exposureMs: z.number().positive().max(60_000),
        previewMaxSizePx: z.number().int().min(32).max(4096),
      })
      .strict(),
    hardware: z
      .object({
        /**
         * Which light source the service drives: "serial" (the pE-4000 of `serialLightSource`), the label of a
         * Micro-Manager device (a shutter-type device with Intensity), or null for none.
         */
        lightSource: z.string().min(1).nullable(),
        serialLightSource: serialLightSourceConfigSchema.nullable(),
      })
      .strict(),
    safety: z.object({ light: lightSafetyLimitsSchema }).strict(),
    acquisition: z
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
              color: z.string().regex(/^#?[0-9A-Fa-f]{6}$/, 'RRGGBB or #RRGGBB').optional(),
              emissionNm: z.number().min(200).max(2000).optional(),
              excitationNm: z.number().min(200).max(2000).optional(),
            })
            .strict(),
        ),
      })
      .strict(),
    storage: z
      .object({
        directory: z.string().min(1),
        format: z.enum(['ome-tiff', 'ome-zarr']),
      })
      .strict(),
    logging: z.object({ level: z.enum(['debug', 'info', 'warn', 'error']) }).strict(),
    models: modelsConfigSchema,
    agent: z
      .object({
        /** Steer illumination from the start; operators switch it on and off at api/agent either way. */
        enabled: z.boolean(),
        /** The agent's settings (a time-lapse's own interval and length still override the interval ones per run). */
        params: agentParamsSchema,
      })
      .strict(),
  })
  .strict();

export type ScopeConfig = z.infer<typeof configSchema>;
