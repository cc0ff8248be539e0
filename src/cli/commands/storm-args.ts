import { z } from 'zod';
import { DEFAULT_DEEP_STORM_MODEL } from '../../models/smlm/deep-storm/load-deep-storm';
import { parseOptions } from '../options';
import { UsageError } from '../usage-error';

export const STORM_USAGE =
  'scope storm <in.tif> <out.ome.tif> [--model <name|folder>] [--method deep-storm|classical] [--quality <file.json|file.tif>] ' +
  '[--locs <file.csv>] [--pixel-size-nm <n>] [--runtime auto|onnx|tfjs] [--batch <frames>] [--upsampling <n>] [--render histogram|gaussian] ' +
  '[--camera-offset-adu <n>] [--adu-per-photon <n>]';

const positiveNumber = z.coerce.number().positive().finite();

const optionsSchema = z
  .object({
    model: z.string().min(1).default(DEFAULT_DEEP_STORM_MODEL),
    method: z.enum(['deep-storm', 'classical']).default('deep-storm'),
    quality: z.string().min(1).optional(),
    locs: z.string().min(1).optional(),
    pixelSizeNm: positiveNumber.optional(),
    runtime: z.enum(['auto', 'onnx', 'tfjs']).default('auto'),
    batch: z.coerce.number().int().positive().max(256).optional(),
    upsampling: z.coerce.number().int().min(1).max(16).default(8),
    render: z.enum(['histogram', 'gaussian']).default('histogram'),
    cameraOffsetAdu: z.coerce.number().finite().default(100),
    aduPerPhoton: positiveNumber.default(1),
  })
  .strict();

export type StormOptions = z.infer<typeof optionsSchema> & { readonly input: string; readonly output: string };

/** `scope storm`'s command line: the input stack, the output file and the options, validated. */
export function parseStormArgs(args: readonly string[]): StormOptions {
  const { positional, options } = parseOptions(args, optionsSchema, STORM_USAGE);
  if (positional.length !== 2)
    throw new UsageError(`expected an input stack and an output file, got ${positional.length} path(s)\nusage: ${STORM_USAGE}`);
  return { ...options, input: positional[0], output: positional[1] };
}
