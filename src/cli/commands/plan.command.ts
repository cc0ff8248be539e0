import { resolve } from 'node:path';
import { z } from 'zod';
import { freeBytesAt } from '../../acquisition/service/preflight';
import { fovFromCamera, iterateEvents, summarizePlan, toUseqEventJson, type StorageFormat } from '../../acquisition/plans';
import { parseOptions } from '../options';
import { UsageError } from '../usage-error';
import { readPlanFile } from './plan-file';

const USAGE =
  'scope plan <plan.json|plan.yaml> [--events] [--out <dir>] [--format ome-tiff|ome-zarr] [--width 512 --height 512 --bytes-per-pixel 2 --pixel-size 1]';

const optionsSchema = z.object({
  events: z.boolean().optional().describe('print the events as useq-schema JSON lines'),
  out: z.string().min(1).default('.').describe('where the data set would go (its free space is checked)'),
  format: z.string().default('ome-tiff').describe('ome-tiff or ome-zarr'),
  width: z.coerce.number().finite().default(512),
  height: z.coerce.number().finite().default(512),
  bytesPerPixel: z.coerce.number().finite().default(2),
  pixelSize: z.coerce.number().finite().default(1),
});

/** `scope plan`: the plan's events as useq-schema JSON lines (--events), or its sizes, duration and disk use; exit 3 when it does not fit. */
export async function planCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseOptions(argv, optionsSchema, USAGE);
  const [file] = positional;
  if (!file) throw new UsageError(`usage: ${USAGE}`);
  const plan = readPlanFile(file);
  const { width, height, pixelSize: pixelSizeUm } = options;
  const fov = fovFromCamera(width, height, pixelSizeUm);
  if (options.events) {
    for (const event of iterateEvents(plan, fov)) process.stdout.write(`${JSON.stringify(toUseqEventJson(event))}\n`);
    return 0;
  }
  const format = options.format as StorageFormat;
  if (!['ome-tiff', 'ome-zarr'].includes(format)) throw new UsageError(`--format must be ome-tiff or ome-zarr, got "${format}"`);
  const summary = summarizePlan(plan, {
    cameraWidthPx: width,
    cameraHeightPx: height,
    bytesPerPixel: options.bytesPerPixel,
    pixelSizeUm,
    format,
  });
  const destination = options.out;
  const freeBytes = freeBytesAt(destination);
  const fits = summary.estimatedBytes === undefined || summary.estimatedBytes <= freeBytes;
  process.stdout.write(`${JSON.stringify({ ...summary, destination: resolve(destination), freeBytes, fits }, null, 2)}\n`);
  return fits ? 0 : 3;
}
