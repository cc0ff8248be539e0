import { z } from 'zod';
import type { LightSafetyLimits } from '../../hardware/safety';

/**
 * The `careTraining` section: calibrating CARE on the microscope (paired low/high-light frames) and training it in
 * the background. Requests may override the training settings; these are the defaults.
 */
export const careTrainingConfigSchema = z
  .object({
    calibration: z
      .object({
        /** Light source channel the pairs are lit with. */
        channel: z.number().int().min(0).default(0),
        /** A pair whose low and high frames are further apart than this (sub-pixel registration) is re-taken once, then dropped. */
        maxDriftPx: z.number().positive().max(100).default(0.5),
        /** Wait after each stage move before the first frame, ms. */
        settleMs: z.number().int().min(0).max(60_000).default(20),
      })
      .strict()
      .default({ channel: 0, maxDriftPx: 0.5, settleMs: 20 }),
    training: z
      .object({
        /** tiny: 8 first filters (quick checks); small: the shipped model's U-Net (16); csbdeep: CSBDeep's default. */
        network: z.enum(['tiny', 'small', 'csbdeep']).default('small'),
        epochs: z.number().int().min(1).max(10_000).default(20),
        stepsPerEpoch: z.number().int().min(1).max(100_000).default(40),
        batch: z.number().int().min(1).max(1024).default(16),
        patchPx: z.number().int().min(8).max(1024).default(64),
        patchesPerImage: z.number().int().min(1).max(100_000).default(64),
        learningRate: z.number().positive().max(1).default(1e-3),
        /** Pairs kept out of training to evaluate the model on (at least one pair always stays for training). */
        heldOutPairs: z.number().int().min(1).max(1000).default(1),
        /** A model must beat the best classical filter by this much PSNR on the held-out pairs to be deployed. */
        minGainDb: z.number().min(0).max(100).default(1),
        seed: z.number().int().nonnegative().default(1),
      })
      .strict()
      .default({
        network: 'small',
        epochs: 20,
        stepsPerEpoch: 40,
        batch: 16,
        patchPx: 64,
        patchesPerImage: 64,
        learningRate: 1e-3,
        heldOutPairs: 1,
        minGainDb: 1,
        seed: 1,
      }),
    background: z
      .object({
        /**
         * What training does while an acquisition runs. yield: it goes on at the lowest thread priority (nice 19,
         * SCHED_IDLE), which leaves a camera-paced acquisition its full rate; pause: it waits between steps until the
         * acquisition ends, for acquisitions that need every core (continuous streams faster than the disk or CPU).
         */
        duringAcquisition: z.enum(['yield', 'pause']).default('yield'),
      })
      .strict()
      .default({ duringAcquisition: 'yield' }),
  })
  .strict();

export type CareTrainingConfig = z.infer<typeof careTrainingConfigSchema>;

/** The sections the calibration and training services read. */
export interface CareTrainingSettings {
  readonly careTraining: CareTrainingConfig;
  readonly storage: { readonly directory: string };
  readonly safety: { readonly light: LightSafetyLimits };
}
