import { createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CARE_MODEL, loadCareModel } from '../../models/care/care-model';
import type { Restoration } from '../../models/care/care-restorer';
import { isSameFile } from '../../models/io/same-file';
import type { PlaneStack, StackIo } from '../../models/io/stack-io';
import { storageStackIo } from '../../models/io/storage-stack-io';
import { ModelStore, SHIPPED_MODELS_DIR } from '../../models/store/model-store';
import { parseOptions } from '../options';
import { textProgress, type ProgressFactory, type ProgressReporter } from '../text-progress';
import { UsageError } from '../usage-error';

export const DENOISE_USAGE =
  'scope denoise <in.tif> <out.ome.tif> [--model <name|folder>] [--quality <file.jsonl>] [--uncertainty <file.ome.tif>] ' +
  '[--dtype float32|uint16] [--runtime auto|onnx|tfjs] [--max-tile <px>] [--models-dir <dir>]';

const optionsSchema = z
  .object({
    model: z.string().min(1).default(DEFAULT_CARE_MODEL),
    quality: z.string().min(1).optional(),
    uncertainty: z.string().min(1).optional(),
    dtype: z.enum(['float32', 'uint16']).default('float32'),
    runtime: z.enum(['auto', 'onnx', 'tfjs']).default('auto'),
    maxTile: z.coerce.number().int().min(32).max(8192).optional(),
    modelsDir: z.string().min(1).optional(),
  })
  .strict();

export interface CommandContext {
  /** File access; the storage module's by default. */
  readonly stacks?: StackIo;
  readonly progress?: ProgressFactory;
  readonly stdout?: NodeJS.WritableStream;
}

function toUint16(pixels: Float32Array): Uint16Array {
  const out = new Uint16Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.min(65535, Math.max(0, Math.round(pixels[i])));
  return out;
}

/**
 * `scope denoise`: restores every plane of a stack with a CARE model (the shipped default unless --model) and writes
 * one restored plane per input plane, same size, float32 or uint16. With --uncertainty, the uncertainty maps go to
 * a second stack; with --quality, each plane's quality figures to a JSON-lines file. The raw file is never
 * modified; a provenance file beside the output links it to the raw data and the model.
 */
export async function runDenoiseCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { positional, options } = parseOptions(argv, optionsSchema, DENOISE_USAGE);
  const [input, output] = positional;
  if (!input || !output || positional.length > 2) throw new UsageError(`usage: ${DENOISE_USAGE}`);
  if (!existsSync(input)) throw new UsageError(`${input}: no such file`);
  for (const target of [output, options.uncertainty, options.quality]) {
    if (target && isSameFile(target, input)) throw new UsageError(`${target} is the raw input: the raw data is never overwritten`);
  }
  const progress = context.progress ?? textProgress;
  const store = new ModelStore([...(options.modelsDir ? [options.modelsDir] : []), SHIPPED_MODELS_DIR]);
  const model = await loadCareModel(options.model, {
    store,
    runtime: options.runtime,
    ...(options.maxTile ? { maxTilePx: options.maxTile } : {}),
  });
  const stacks = context.stacks ?? storageStackIo;
  // Everything opened is closed in reverse order, also when a later step fails (e.g. the output exists already).
  const closers: Array<() => Promise<void>> = [() => model.dispose()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  let stack: PlaneStack;
  let bar: ProgressReporter;
  let psnrSum = 0;
  try {
    stack = await stacks.openStack(input);
    closers.push(() => stack.close());
    const description = (what: string) =>
      `${what} of ${basename(input)} by CARE model "${model.id}" (${model.name}); raw data: ${resolve(input)}`;
    const newStack = {
      widthPx: stack.widthPx,
      heightPx: stack.heightPx,
      planeCount: stack.planeCount,
      ...(stack.pixelSizeUm ? { pixelSizeUm: stack.pixelSizeUm } : {}),
      ...(stack.datasetUuid ? { derivedFrom: { path: resolve(input), uuid: stack.datasetUuid } } : {}),
    };
    const restoredWriter = await stacks.createStack(output, {
      ...newStack,
      sampleType: options.dtype,
      description: description('restored planes'),
    });
    closers.push(() => restoredWriter.close());
    const uncertaintyWriter = options.uncertainty
      ? await stacks.createStack(options.uncertainty, {
          ...newStack,
          sampleType: 'float32',
          description: description('uncertainty (predicted standard deviation) maps'),
        })
      : undefined;
    if (uncertaintyWriter) closers.push(() => uncertaintyWriter.close());
    const qualityFile = options.quality ? createWriteStream(options.quality) : undefined;
    if (qualityFile) closers.push(() => new Promise<void>((done) => qualityFile.end(done)));
    bar = progress(`denoise ${basename(input)}`, stack.planeCount);
    // each plane is written before the next is restored, so one pair of output planes serves the whole stack
    let r: Restoration | undefined;
    for (let plane = 0; plane < stack.planeCount; plane++) {
      const pixels = await stack.readPlane(plane);
      r = await model.restore(pixels, stack.widthPx, stack.heightPx, { into: r });
      await restoredWriter.writePlane(options.dtype === 'uint16' ? toUint16(r.restored) : r.restored);
      await uncertaintyWriter?.writePlane(r.uncertainty);
      qualityFile?.write(`${JSON.stringify({ plane, ...r.quality })}\n`);
      psnrSum += r.quality.predictedPsnrDb;
      bar.update(plane + 1, `predicted PSNR ${r.quality.predictedPsnrDb.toFixed(1)} dB`);
    }
    // Closing the writers finalises the files: their errors must reach the caller (the model is disposed below).
    while (closers.length > 1) await closers.pop()!();
  } finally {
    await closeAll();
  }
  bar.finish(`mean predicted PSNR ${(psnrSum / Math.max(1, stack.planeCount)).toFixed(1)} dB`);
  const raw = statSync(input);
  const provenance = {
    kind: 'care-restored',
    raw: {
      path: resolve(input),
      uuid: stack.datasetUuid ?? null,
      bytes: raw.size,
      modifiedMs: raw.mtimeMs,
      planes: stack.planeCount,
      widthPx: stack.widthPx,
      heightPx: stack.heightPx,
      sampleType: stack.sampleType,
    },
    restored: { path: resolve(output), sampleType: options.dtype },
    uncertainty: options.uncertainty
      ? { path: resolve(options.uncertainty), sampleType: 'float32', meaning: 'predicted standard deviation, raw units' }
      : null,
    quality: options.quality ? resolve(options.quality) : null,
    model: { id: model.id, name: model.name, folder: model.folder.dir, runtime: model.runtime.name, uncertainty: model.uncertaintyMethod },
    createdAt: new Date().toISOString(),
  };
  writeFileSync(provenancePath(output), `${JSON.stringify(provenance, null, 2)}\n`);
  (context.stdout ?? process.stdout).write(`${JSON.stringify({ restored: resolve(output), planes: stack.planeCount, model: model.id })}\n`);
  return 0;
}

/** The provenance file written beside a restored stack. */
export function provenancePath(output: string): string {
  return resolve(dirname(output), `${basename(output)}.provenance.json`);
}

export const denoiseCommand = (args: readonly string[]): Promise<number> => runDenoiseCommand(args, {});
