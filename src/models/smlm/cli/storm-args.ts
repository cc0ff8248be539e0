import { z } from 'zod';
import { DEFAULT_DEEP_STORM_MODEL } from '../deep-storm/load-deep-storm';

/** Thrown for command lines that cannot run; the CLI prints the message with the usage. */
export class StormUsageError extends Error {
  override readonly name = 'StormUsageError';
}

export const STORM_USAGE =
  'usage: scope storm <in.tif> <out.ome.tif> [--model <name|folder>] [--method deep-storm|classical] [--quality <file.json|file.tif>] ' +
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

const FLAGS: Record<string, keyof z.infer<typeof optionsSchema>> = {
  '--model': 'model',
  '--method': 'method',
  '--quality': 'quality',
  '--locs': 'locs',
  '--pixel-size-nm': 'pixelSizeNm',
  '--runtime': 'runtime',
  '--batch': 'batch',
  '--upsampling': 'upsampling',
  '--render': 'render',
  '--camera-offset-adu': 'cameraOffsetAdu',
  '--adu-per-photon': 'aduPerPhoton',
};

export function parseStormArgs(args: readonly string[]): StormOptions {
  const positional: string[] = [];
  const raw: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const key = FLAGS[flag];
    if (!key) throw new StormUsageError(`unknown option ${flag}\n${STORM_USAGE}`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new StormUsageError(`${flag} needs a value\n${STORM_USAGE}`);
    raw[key] = value;
  }
  if (positional.length !== 2) throw new StormUsageError(`expected an input stack and an output file, got ${positional.length} path(s)\n${STORM_USAGE}`);
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`);
    throw new StormUsageError(`${issues.join('; ')}\n${STORM_USAGE}`);
  }
  return { ...parsed.data, input: positional[0], output: positional[1] };
}
