import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { CSBDEEP_DEFAULT_CONFIG, SELF_SUPERVISED_CARE_CONFIG, SHIPPED_CARE_CONFIG, type CareConfig } from '../../models/care/care-config';
import { careDescription } from '../../models/care/care-package';
import {
  trainCareSupervised,
  trainNoise2Void,
  type CareCheckpoint,
  type CareTrainingProgress,
  type CareTrainingResult,
  type RawImage,
} from '../../models/care/training/train-care';
import type { StackIo } from '../../models/io/stack-io';
import { storageStackIo } from '../../models/io/storage-stack-io';
import { writeModelFolder } from '../../models/store/model-folder';
import { readCheckpoint, writeCheckpoint } from '../../models/care/jobs/checkpoint-files';
import { mkdirSync } from 'node:fs';
import { parseOptions } from '../options';
import { textProgress } from '../text-progress';
import { UsageError } from '../usage-error';
import { trainInService } from './train-care-in-service';
import type { CommandContext } from './denoise.command';

export const TRAIN_CARE_USAGE =
  'scope train care (--pairs <dir> [--source-dir low] [--target-dir high] | --noisy <stack.tif>[,<stack.tif>…] [--planes <first>-<last>]) ' +
  '[--name <model-name>] [--out <folder>] [--network tiny|small|csbdeep] [--probabilistic yes|no] [--epochs N] [--steps-per-epoch N] ' +
  '[--batch N] [--patch N] [--patches-per-image N] [--learning-rate x] [--validation-fraction f] [--seed N] [--checkpoint <dir>] ' +
  '[--deploy <service url> [--token <operator token>]]';

const optionsSchema = z
  .object({
    pairs: z.string().min(1).optional(),
    sourceDir: z.string().min(1).default('low'),
    targetDir: z.string().min(1).optional(),
    noisy: z.string().min(1).optional(),
    planes: z
      .string()
      .regex(/^\d+-\d+$/, 'must look like 0-15')
      .optional(),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_", "-"')
      .optional(),
    out: z.string().min(1).optional(),
    network: z.enum(['tiny', 'small', 'csbdeep']).default('small'),
    probabilistic: z.enum(['yes', 'no']).default('yes'),
    epochs: z.coerce.number().int().min(1).max(10_000).default(20),
    stepsPerEpoch: z.coerce.number().int().min(1).max(100_000).default(40),
    batch: z.coerce.number().int().min(1).max(1024).default(16),
    patch: z.coerce.number().int().min(8).max(1024).default(64),
    patchesPerImage: z.coerce.number().int().min(1).max(100_000).default(64),
    learningRate: z.coerce.number().positive().max(1).default(1e-3),
    validationFraction: z.coerce.number().gt(0).lt(1).default(0.1),
    seed: z.coerce.number().int().nonnegative().default(1),
    /** Saves a checkpoint there after every epoch; the same command run again goes on from it (after kill -9, too). */
    checkpoint: z.string().min(1).optional(),
    /** Train in the running service there instead (evaluated against tuned filters, deployed live if it beats them). */
    deploy: z.string().url('must be the service URL, e.g. http://127.0.0.1:3000').optional(),
    token: z.string().min(1).optional(),
  })
  .strict()
  .refine((o) => !!o.pairs !== !!o.noisy, { message: 'give exactly one of --pairs <dir> or --noisy <stack.tif>', path: ['pairs'] });

const TIFF = /\.tiff?$/i;

async function readPlanes(stacks: StackIo, path: string, range?: [number, number]): Promise<RawImage[]> {
  const stack = await stacks.openStack(path);
  try {
    const first = range ? range[0] : 0;
    const last = Math.min(stack.planeCount - 1, range ? range[1] : stack.planeCount - 1);
    if (first > last) throw new UsageError(`${path} has ${stack.planeCount} planes; --planes ${range?.join('-')} selects none`);
    const planes: RawImage[] = [];
    for (let i = first; i <= last; i++)
      planes.push({ pixels: Float32Array.from(await stack.readPlane(i)), widthPx: stack.widthPx, heightPx: stack.heightPx });
    return planes;
  } finally {
    await stack.close();
  }
}

/** CSBDeep's folder layout: <dir>/<source>/x.tif pairs with <dir>/<target>/x.tif, plane by plane. */
async function readPairs(stacks: StackIo, dir: string, sourceDir: string, targetDir: string | undefined) {
  const sourcePath = join(dir, sourceDir);
  const targetName = targetDir ?? ['high', 'GT'].find((d) => existsSync(join(dir, d))) ?? 'high';
  const targetPath = join(dir, targetName);
  for (const p of [sourcePath, targetPath]) {
    if (!existsSync(p) || !statSync(p).isDirectory())
      throw new UsageError(`--pairs ${dir}: no folder ${p} (expected ${sourceDir}/ and ${targetName}/ with files of the same names)`);
  }
  const names = readdirSync(sourcePath)
    .filter((n) => TIFF.test(n))
    .sort();
  const missing = names.filter((n) => !existsSync(join(targetPath, n)));
  if (names.length === 0) throw new UsageError(`${sourcePath} holds no .tif files`);
  if (missing.length) throw new UsageError(`${targetPath} lacks the targets of ${missing.join(', ')}`);
  const pairs: Array<{ source: RawImage; target: RawImage }> = [];
  for (const name of names) {
    const source = await readPlanes(stacks, join(sourcePath, name));
    const target = await readPlanes(stacks, join(targetPath, name));
    if (source.length !== target.length) throw new UsageError(`${name}: ${source.length} source planes but ${target.length} target planes`);
    source.forEach((s, i) => pairs.push({ source: s, target: target[i] }));
  }
  return { pairs, files: names, targetName };
}

/**
 * `scope train care`: trains a CARE model on pairs of low/high-dose images (supervised) or a Noise2Void model on
 * noisy stacks alone (self-supervised), with a validation split, the best-validation weights, and a progress bar;
 * writes the model folder (tfjs model + rdf.yaml).
 */
export async function runTrainCareCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { positional, options } = parseOptions(argv, optionsSchema, TRAIN_CARE_USAGE);
  if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"\nusage: ${TRAIN_CARE_USAGE}`);
  if (options.deploy) return deployInService(options, context);
  if (options.token) throw new UsageError('--token goes with --deploy <service url>');
  const selfSupervised = !!options.noisy;
  const base: CareConfig =
    options.network === 'csbdeep' ? CSBDEEP_DEFAULT_CONFIG : selfSupervised ? SELF_SUPERVISED_CARE_CONFIG : SHIPPED_CARE_CONFIG;
  const architecture: CareConfig = {
    ...base,
    ...(options.network === 'tiny' ? { firstFilters: 8 } : {}),
    residual: selfSupervised ? false : base.residual,
    probabilistic: options.probabilistic === 'yes',
  };
  const name = options.name ?? (selfSupervised ? 'n2v-custom' : 'care-custom');
  const out = resolve(options.out ?? join('models', name));
  const calibrationEpochs = architecture.probabilistic ? Math.max(1, Math.round(options.epochs / 5)) : 0;
  if (options.checkpoint) mkdirSync(options.checkpoint, { recursive: true });
  const resumeFrom = options.checkpoint ? await readCheckpoint(options.checkpoint) : null;
  const bar = (context.progress ?? textProgress)(`train ${name}`, (options.epochs + calibrationEpochs) * options.stepsPerEpoch);
  const training = {
    architecture,
    seed: options.seed,
    patchPx: options.patch,
    patchesPerImage: options.patchesPerImage,
    validationFraction: options.validationFraction,
    batchSize: options.batch,
    epochs: options.epochs,
    stepsPerEpoch: options.stepsPerEpoch,
    learningRate: options.learningRate,
    calibrationEpochs,
    ...(options.checkpoint ? { onCheckpoint: (c: CareCheckpoint) => writeCheckpoint(options.checkpoint!, c) } : {}),
    ...(resumeFrom ? { resumeFrom } : {}),
    onProgress: (p: CareTrainingProgress) =>
      bar.update(p.stepsDone, `${p.phase} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} val ${p.validationLoss.toFixed(4)}`),
  };
  let result: CareTrainingResult;
  let data: { name: string; description: string; files: string[] };
  if (options.noisy) {
    const range = options.planes?.split('-').map(Number) as [number, number] | undefined;
    const paths = options.noisy.split(',');
    const frames = (await Promise.all(paths.map((p) => readPlanes(context.stacks ?? storageStackIo, p, range)))).flat();
    data = {
      name: `noisy frames of ${paths.map((p) => basename(p)).join(', ')}`,
      description: `${frames.length} noisy planes${options.planes ? ` (planes ${options.planes})` : ''}; no clean images`,
      files: paths.map((p) => resolve(p)),
    };
    result = await trainNoise2Void(frames, training);
  } else {
    const { pairs, files, targetName } = await readPairs(
      context.stacks ?? storageStackIo,
      options.pairs!,
      options.sourceDir,
      options.targetDir,
    );
    data = {
      name: `image pairs in ${basename(resolve(options.pairs!))}`,
      description: `${pairs.length} plane pairs from ${files.length} files: ${options.sourceDir}/ (input) against ${targetName}/ (target)`,
      files: files.map((f) => join(resolve(options.pairs!), options.sourceDir, f)),
    };
    result = await trainCareSupervised(pairs, training);
  }
  const history = result.history;
  bar.finish(
    `best validation loss ${history.bestValidationLoss.toFixed(4)} (epoch ${history.bestEpoch}; initial ${history.initialValidationLoss.toFixed(4)})`,
  );
  const description = careDescription({
    name,
    description: selfSupervised
      ? 'Noise2Void (blind-spot, self-supervised) denoiser with the CARE U-Net, trained by `scope train care --noisy`.'
      : 'CARE denoiser trained by `scope train care --pairs` on low/high-dose image pairs.',
    architecture,
    training: {
      mode: selfSupervised ? 'self-supervised' : 'supervised',
      backend: result.backend.backend,
      gradients: result.backend.training.gradients,
      loss: result.loss,
      epochs: options.epochs,
      stepsPerEpoch: options.stepsPerEpoch,
      batch: options.batch,
      patchPx: options.patch,
      seed: options.seed,
      patches: result.patches,
      bestEpoch: history.bestEpoch,
      validationLoss: { initial: history.initialValidationLoss, best: history.bestValidationLoss },
      seconds: Math.round(history.seconds),
    },
    trainingData: data,
  });
  const folder = await writeModelFolder(out, result.model, description);
  result.model.dispose();
  (context.stdout ?? process.stdout).write(
    `${JSON.stringify({ model: folder.dir, mode: selfSupervised ? 'self-supervised' : 'supervised', bestValidationLoss: history.bestValidationLoss, initialValidationLoss: history.initialValidationLoss, backend: result.backend.backend, resumedFrom: resumeFrom ? { phase: resumeFrom.phase, epoch: resumeFrom.loop.epoch } : null })}\n`,
  );
  return 0;
}

/** `--deploy <url>`: the pairs folder is handed to the service, which trains, evaluates and deploys (or says why not). */
async function deployInService(options: z.infer<typeof optionsSchema>, context: CommandContext): Promise<number> {
  const unsupported = [
    options.noisy && '--noisy (the service trains Noise2Void from a calibration or a pairs folder)',
    options.sourceDir !== 'low' && '--source-dir',
    options.targetDir && options.targetDir !== 'high' && '--target-dir',
    options.checkpoint && '--checkpoint (the service checkpoints every job itself)',
    options.out && '--out (the service keeps its models under its storage folder)',
    options.probabilistic === 'no' && '--probabilistic no',
  ].filter(Boolean);
  if (unsupported.length)
    throw new UsageError(`--deploy trains in the service, which takes a low/ + high/ pairs folder: drop ${unsupported.join(', ')}`);
  const { job, exitCode } = await trainInService(
    options.deploy!,
    options.token ?? process.env.SCOPE_TOKEN,
    {
      pairsDir: options.pairs!,
      mode: 'care',
      ...(options.name ? { name: options.name } : {}),
      network: options.network,
      epochs: options.epochs,
      stepsPerEpoch: options.stepsPerEpoch,
      batch: options.batch,
      patchPx: options.patch,
      patchesPerImage: options.patchesPerImage,
      learningRate: options.learningRate,
      seed: options.seed,
    },
    context.progress ?? textProgress,
  );
  const evaluation = job.outcome?.evaluation;
  (context.stdout ?? process.stdout).write(
    `${JSON.stringify({
      job: job.id,
      state: job.state,
      ...(job.error ? { error: job.error } : {}),
      model: job.outcome?.modelId ?? null,
      verdict: evaluation?.verdict ?? null,
      gainDb: evaluation?.gainDb ?? null,
      bestClassical: evaluation?.bestClassical ?? null,
      deployed: job.deployed ?? null,
    })}\n`,
  );
  return exitCode;
}

export const trainCareCommand = (args: readonly string[]): Promise<number> => runTrainCareCommand(args, {});
