import { z } from 'zod';
import { lightSafetyLimitsSchema } from './safety/safety-limits';
import { serialLightSourceConfigSchema } from './serial/serial-light-source.config';

const endpointPattern = /^tcp:\/\/[^\s:]+:\d{1,5}$/;

export const simulationConfigSchema = z
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
    /** Fault injection: camera frame numbers (from 0) every hardware sequence loses, as a camera that drops frames. */
    droppedFrames: z.array(z.number().int().nonnegative()).max(10_000).default([]),
    /** Fault injection: hardware sequences overflow the camera's circular buffer at this frame number; null: never. */
    overflowAtFrame: z.number().int().nonnegative().nullable().default(null),
  })
  .strict();

export const microManagerConfigSchema = z
  .object({
    endpoint: z.string().regex(endpointPattern, 'must look like tcp://host:port'),
    timeoutMs: z.number().int().min(10).max(600_000),
    reconnectMaxDelayMs: z.number().int().min(10).max(600_000),
  })
  .strict();

export const hardwareConfigSchema = z
  .object({
    /**
     * Which light source the service drives: "serial" (the pE-4000 of `serialLightSource`), the label of a
     * Micro-Manager device (a shutter-type device with Intensity), or null for none.
     */
    lightSource: z.string().min(1).nullable(),
    serialLightSource: serialLightSourceConfigSchema.nullable(),
  })
  .strict();

export const safetyConfigSchema = z.object({ light: lightSafetyLimitsSchema }).strict();

/** The sections of the service's configuration the hardware module reads (the root schema composes them). */
export interface HardwareSettings {
  readonly simulation: z.infer<typeof simulationConfigSchema>;
  readonly microManager: z.infer<typeof microManagerConfigSchema>;
  readonly hardware: z.infer<typeof hardwareConfigSchema>;
  readonly safety: z.infer<typeof safetyConfigSchema>;
  /** The live view's exposure, applied to the camera at each connection. */
  readonly live: { readonly exposureMs: number };
}
