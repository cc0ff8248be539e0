import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freeBytesAt } from '../../acquisition/service/preflight';
import { fovFromCamera, iterateEvents, parsePlan, summarizePlan, toUseqEventJson, type StorageFormat } from '../../acquisition/plans';
import { numberOption, parseArgs, stringOption } from '../args';
import { UsageError } from '../main';

const USAGE = 'scope plan <plan.json|plan.yaml> [--events] [--out <dir>] [--format ome-tiff|ome-zarr] [--width 512 --height 512 --bytes-per-pixel 2 --pixel-size 1]';

export async function planCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['events']);
  const [file] = args.positional;
  if (!file) throw new UsageError(`usage: ${USAGE}`);
  const plan = parsePlan(readFileSync(file, 'utf8'), file.endsWith('.json') ? 'json' : file.match(/\.ya?ml$/) ? 'yaml' : undefined, file);
  const width = numberOption(args, 'width') ?? 512;
  const height = numberOption(args, 'height') ?? 512;
  const pixelSizeUm = numberOption(args, 'pixel-size') ?? 1;
  const fov = fovFromCamera(width, height, pixelSizeUm);
  if (args.options.has('events')) {
    for (const event of iterateEvents(plan, fov)) process.stdout.write(`${JSON.stringify(toUseqEventJson(event))}\n`);
    return 0;
  }
  const format = (stringOption(args, 'format') ?? 'ome-tiff') as StorageFormat;
  if (!['ome-tiff', 'ome-zarr'].includes(format)) throw new UsageError(`--format must be ome-tiff or ome-zarr, got "${format}"`);
  const summary = summarizePlan(plan, {
    cameraWidthPx: width,
    cameraHeightPx: height,
    bytesPerPixel: numberOption(args, 'bytes-per-pixel') ?? 2,
    pixelSizeUm,
    format,
  });
  const destination = stringOption(args, 'out') ?? '.';
  const freeBytes = freeBytesAt(destination);
  const fits = summary.estimatedBytes === undefined || summary.estimatedBytes <= freeBytes;
  process.stdout.write(`${JSON.stringify({ ...summary, destination: resolve(destination), freeBytes, fits }, null, 2)}\n`);
  return fits ? 0 : 3;
}
