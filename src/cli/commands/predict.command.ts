import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import type { Frame } from '../../acquisition/frame';
import { openOmeTiffWriter, openTiffStack } from '../../acquisition/storage';
import { isSameFile } from '../../models/io/same-file';
import { ModelStore, SHIPPED_MODELS_DIR } from '../../models/store/model-store';
import { ZooModel } from '../../models/zoo/zoo-model';
import { parseOptions } from '../options';
import { textProgress, type ProgressFactory, type ProgressReporter } from '../text-progress';
import { UsageError } from '../usage-error';

export const PREDICT_USAGE =
  'scope predict --model <name|folder> <in.tif> <out.ome.tif> [--output <tensor id>] [--threads <n>] [--max-tile <px>] [--models-dir <dir>]';

const optionsSchema = z
  .object({
    model: z.string().min(1),
    output: z.string().min(1).optional(),
    threads: z.coerce.number().int().min(1).max(256).optional(),
    maxTile: z.coerce.number().int().min(16).max(16384).optional(),
    modelsDir: z.string().min(1).optional(),
  })
  .strict();

export interface PredictContext {
  readonly progress?: ProgressFactory;
  readonly stdout?: NodeJS.WritableStream;
}

/**
 * `scope predict`: every plane of a TIFF stack through a BioImage Model Zoo model (ONNX weights) into a float32
 * OME-TIFF with the input's plane size, one channel per output channel of the model; the output names the input
 * data set it came from when that has a UUID. The package's test tensors are reproduced before anything is written.
 */
export async function runPredictCommand(argv: readonly string[], context: PredictContext = {}): Promise<number> {
  const { positional, options } = parseOptions(argv, optionsSchema, PREDICT_USAGE);
  const [input, output] = positional;
  if (!input || !output || positional.length > 2) throw new UsageError(`usage: ${PREDICT_USAGE}`);
  if (!existsSync(input)) throw new UsageError(`${input}: no such file`);
  if (isSameFile(input, output)) throw new UsageError(`${output} is the input: the raw data is never overwritten`);
  const store = new ModelStore([...(options.modelsDir ? [options.modelsDir] : []), SHIPPED_MODELS_DIR]);
  const model = await ZooModel.open(store.locate(options.model), {
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.maxTile ? { maxTilePx: options.maxTile } : {}),
  });
  const outputIndex = options.output ? model.outputs.findIndex((o) => o.id === options.output) : 0;
  if (outputIndex < 0) {
    await model.dispose();
    throw new UsageError(
      `--output: model "${model.name}" has no output "${options.output}" (it has ${model.outputs.map((o) => o.id).join(', ')})`,
    );
  }
  const closers: Array<() => Promise<void>> = [() => model.dispose()];
  let bar: ProgressReporter | undefined;
  let nonFinite = 0;
  let planeCount = 0;
  let channels = 0;
  try {
    const stack = await openTiffStack(input);
    closers.push(() => stack.close());
    planeCount = stack.planeCount;
    const uuid = stack.ome?.datasetUuid ?? stack.ome?.uuid;
    const pixelSizeUm = stack.pixelSizeUm ?? 1;
    let writer: Awaited<ReturnType<typeof openOmeTiffWriter>> | undefined;
    bar = (context.progress ?? textProgress)(`predict ${basename(input)}`, planeCount);
    for (let plane = 0; plane < planeCount; plane++) {
      const pixels = await stack.readPlane(plane);
      const prediction = await model.predictImage(pixels, stack.widthPx, stack.heightPx);
      const result = prediction.outputs[outputIndex];
      nonFinite += prediction.nonFiniteCount;
      if (!writer) {
        channels = result.planes.channels;
        const channelNames = result.channelNames && result.channelNames.length === channels ? [...result.channelNames] : undefined;
        writer = await openOmeTiffWriter(output, {
          sizes: { t: planeCount, c: channels, z: 1 },
          axisOrder: 'tpgcz',
          dtype: 'float32',
          widthPx: stack.widthPx,
          heightPx: stack.heightPx,
          pixelSizeUm,
          ...(channelNames ? { channelNames } : {}),
          description: `output "${result.id}" of Zoo model "${model.name}" for ${basename(input)}; raw data: ${resolve(input)}`,
          ...(uuid ? { derivedFrom: { path: resolve(input), uuid } } : {}),
        });
        const opened = writer;
        closers.push(() => opened.close());
      }
      for (let c = 0; c < channels; c++) {
        const frame: Frame = {
          pixels: Float32Array.from(
            result.planes.data.subarray(c * stack.widthPx * stack.heightPx, (c + 1) * stack.widthPx * stack.heightPx),
          ),
          meta: {
            acquisitionId: 'processed',
            sequence: plane * channels + c,
            index: { t: plane, c },
            width: stack.widthPx,
            height: stack.heightPx,
            bitDepth: 32,
            pixelSizeUm,
            exposureMs: 0,
            stage: {},
            camera: 'none',
            wallTimeMs: Date.now(),
          },
        };
        await writer.write(frame);
      }
      bar.update(plane + 1, `${prediction.tiles} tile(s)`);
    }
    // Closing the writer finalises the file: its errors must reach the caller.
    while (closers.length > 1) await closers.pop()!();
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
  bar?.finish(nonFinite ? `${nonFinite} non-finite output values (flagged)` : '');
  if (nonFinite)
    process.stderr.write(
      `scope predict: model "${model.name}" produced ${nonFinite} NaN or infinite values; the output is flagged in this message, not altered\n`,
    );
  (context.stdout ?? process.stdout).write(
    `${JSON.stringify({ output: resolve(output), planes: planeCount, channels, model: model.name, runtime: model.runtimeName, nonFinite })}\n`,
  );
  return 0;
}

export const predictCommand = (args: readonly string[]): Promise<number> => runPredictCommand(args);
