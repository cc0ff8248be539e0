import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultStormIo, type StormIo, type StormStack } from '../../models/io/storm-io';
import { openDeepStorm } from '../../models/smlm/deep-storm/load-deep-storm';
import { LocalisationCsvWriter } from '../../models/smlm/io/localisation-csv';
import type { CameraGrid } from '../../models/smlm/localisation';
import { ClassicalProcessor, DeepStormProcessor, type FrameBatchProcessor } from '../../models/smlm/reconstruct/frame-processor';
import { reconstructStack } from '../../models/smlm/reconstruct/reconstruct-stack';
import { textProgress, type ProgressFactory } from '../text-progress';
import { UsageError } from '../usage-error';
import { parseStormArgs, type StormOptions } from './storm-args';

/** The figures `--quality` writes (SQUIRREL against the widefield mean of the same frames). */
export interface StormQualityReport {
  readonly method: StormOptions['method'];
  readonly model: string | null;
  readonly runtime: string | null;
  readonly frames: number;
  readonly localisations: number;
  readonly superResolvedPixelSizeNm: number;
  readonly rsp: number;
  readonly rse: number;
  readonly rseRelative: number;
  readonly rsfSigmaNm: number;
  readonly alpha: number;
  readonly beta: number;
}

const FALLBACK_PIXEL_NM = 100;

function log(message: string): void {
  process.stderr.write(`scope storm: ${message}\n`);
}

/**
 * `scope storm <in.tif> <out.ome.tif> …`: one 2-D super-resolved image (×upsampling the input grid, with its
 * physical pixel size in the OME metadata) from a blinking-emitter TIFF stack of any length, by Deep-STORM (the
 * shipped model unless --model names another) or the classical localisation baseline. Frames stream through in
 * batches, so memory does not grow with the stack. Returns the process exit code.
 */
export async function runStormCommand(
  args: readonly string[],
  progress: ProgressFactory = textProgress,
  io: StormIo = defaultStormIo,
): Promise<number> {
  const options = parseStormArgs(args);
  // Refused before the reconstruction rather than after minutes of it (the OME-TIFF writer never replaces a file).
  if (existsSync(options.output))
    throw new UsageError(`${options.output} exists already; choose a new output file (an image is never replaced)`);
  const stack = await io.openStack(options.input);
  try {
    return await reconstructOpenStack(options, stack, progress, io);
  } finally {
    await stack.close();
  }
}

async function reconstructOpenStack(options: StormOptions, stack: StormStack, progress: ProgressFactory, io: StormIo): Promise<number> {
  const filePixelNm = stack.pixelSizeUm !== undefined && stack.pixelSizeUm > 0 ? stack.pixelSizeUm * 1000 : undefined;
  let processor: FrameBatchProcessor;
  let modelName: string | null = null;
  let runtimeName: string | null = null;
  let pixelSizeNm = options.pixelSizeNm ?? filePixelNm;
  let dispose = async () => undefined as void;
  if (options.method === 'deep-storm') {
    const engine = await openDeepStorm(options.model, options.runtime);
    dispose = () => engine.runtime.dispose();
    modelName = engine.name;
    runtimeName = engine.runtime.name;
    const trainedNm = engine.scope.trainingPixelSizeNm;
    if (pixelSizeNm === undefined) {
      log(`${options.input} states no pixel size; assuming the model's training pixel size, ${trainedNm} nm (set --pixel-size-nm)`);
      pixelSizeNm = trainedNm;
    } else if (Math.abs(pixelSizeNm / trainedNm - 1) > 0.25) {
      log(`warning: pixels are ${pixelSizeNm} nm but ${engine.name} was trained on ${trainedNm} nm pixels; its output may be unreliable`);
    }
    processor = new DeepStormProcessor(engine, options.locs !== undefined);
  } else {
    if (pixelSizeNm === undefined) {
      log(`${options.input} states no pixel size; assuming ${FALLBACK_PIXEL_NM} nm (set --pixel-size-nm)`);
      pixelSizeNm = FALLBACK_PIXEL_NM;
    }
    processor = new ClassicalProcessor(
      options.upsampling,
      { camera: { offsetAdu: options.cameraOffsetAdu, aduPerPhoton: options.aduPerPhoton } },
      options.render,
    );
  }
  const grid: CameraGrid = { widthPx: stack.widthPx, heightPx: stack.heightPx, pixelSizeNm };
  const csv = options.locs ? new LocalisationCsvWriter(options.locs) : undefined;
  const bar = progress(`storm ${options.method}`, stack.frameCount);
  try {
    const { snapshot, accumulator } = await reconstructStack(stack.frames(), grid, processor, {
      batchSize: options.batch,
      onProgress: (done) => bar.update(done),
      onLocalisations: csv ? (locs) => csv.write(locs) : undefined,
    });
    bar.finish(`${snapshot.frames} frames`);
    await io.writeImage(options.output, {
      pixels: snapshot.superResolved,
      widthPx: snapshot.widthPx,
      heightPx: snapshot.heightPx,
      pixelSizeUm: snapshot.pixelSizeNm / 1000,
      ...(stack.datasetUuid ? { derivedFrom: { path: resolve(options.input), uuid: stack.datasetUuid } } : {}),
      description: `${options.method === 'deep-storm' ? `Deep-STORM (${modelName}, ${runtimeName})` : 'classical localisation'}: ${snapshot.frames} frames of ${options.input}, ×${snapshot.upsampling}`,
    });
    const quality = accumulator.quality(snapshot);
    const report: StormQualityReport = {
      method: options.method,
      model: modelName,
      runtime: runtimeName,
      frames: snapshot.frames,
      localisations: snapshot.localisations,
      superResolvedPixelSizeNm: snapshot.pixelSizeNm,
      rsp: quality.rsp,
      rse: quality.rse,
      rseRelative: quality.rseRelative,
      rsfSigmaNm: quality.rsfSigmaPx * pixelSizeNm,
      alpha: quality.alpha,
      beta: quality.beta,
    };
    if (options.quality) {
      if (/\.tiff?$/i.test(options.quality)) {
        await io.writeImage(options.quality, {
          pixels: quality.errorMap,
          widthPx: grid.widthPx,
          heightPx: grid.heightPx,
          pixelSizeUm: pixelSizeNm / 1000,
          description: `SQUIRREL error map of ${options.output}`,
        });
        writeFileSync(`${options.quality}.json`, `${JSON.stringify(report, null, 2)}\n`);
      } else {
        writeFileSync(options.quality, `${JSON.stringify(report, null, 2)}\n`);
      }
    }
    process.stdout.write(
      `${options.output}: ${snapshot.widthPx}×${snapshot.heightPx} px of ${snapshot.pixelSizeNm.toFixed(2)} nm from ${snapshot.frames} frames` +
        `${csv ? `, ${csv.written} localisations in ${options.locs}` : ''}; SQUIRREL RSP ${quality.rsp.toFixed(3)}, RSE ${quality.rse.toFixed(2)} (${(100 * quality.rseRelative).toFixed(1)} % of range)\n`,
    );
    return 0;
  } finally {
    await csv?.close();
    await dispose();
  }
}

export const stormCommand = (args: readonly string[]): Promise<number> => runStormCommand(args);
