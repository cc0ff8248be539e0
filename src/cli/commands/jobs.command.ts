import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CARE_MODEL } from '../../models/care/care-model';
import { DEFAULT_DEEP_STORM_MODEL } from '../../models/smlm/deep-storm/load-deep-storm';
import type { JobSpec } from '../../jobs/job-spec';
import { formatJobStatus } from '../../jobs/job-status';
import type { JobsContext } from '../../jobs/jobs-context';
import { submitJob } from '../../jobs/submit-job';
import { EXIT } from '../exit-codes';
import { parseOptions } from '../options';
import { UsageError } from '../usage-error';
import { jobsConnectionOptions, jobsContextFrom } from './jobs-cli-config';

const SUBMIT_USAGE =
  'scope jobs submit <storm|denoise> <data set> [--out <file>] [--id <id>] [--model <name|folder>] [--runtime auto|onnx|tfjs] ' +
  '[--pixel-size-nm <n>] [--wait] [--timeout-s <s>] [--redis redis://host:port] [--storage <root>] [--config <file>]';
const STATUS_USAGE = 'scope jobs status <id> [--json] [--redis redis://host:port] [--storage <root>] [--config <file>]';

const submitSchema = z
  .object({
    out: z
      .string()
      .min(1)
      .optional()
      .describe(
        'output under the storage; jobs/<id>/<data set>.<storm|care>.ome.zarr (derived OME-Zarr) by default; *.ome.tif for OME-TIFF',
      ),
    id: z.string().min(1).optional().describe('job id; <kind>-<time>-<random> by default'),
    model: z.string().min(1).optional().describe('deep-storm-default (storm) or care-default (denoise) by default'),
    runtime: z.enum(['auto', 'onnx', 'tfjs']).default('auto'),
    pixelSizeNm: z.coerce
      .number()
      .positive()
      .finite()
      .optional()
      .describe("storm: camera pixel size when the file states none (else the model's)"),
    wait: z.boolean().optional().describe('with Redis: wait for the merged result (in-process jobs always finish first)'),
    timeoutS: z.coerce.number().positive().default(3600).describe('--wait gives up after this long'),
    ...jobsConnectionOptions,
  })
  .strict();

const statusSchema = z
  .object({ json: z.boolean().optional().describe('print the status as one JSON object'), ...jobsConnectionOptions })
  .strict();

function dataSetKey(context: JobsContext, path: string): string {
  // a path as typed (relative to here) when it exists, else a key under the storage
  return context.storage.keyOf(existsSync(path) ? resolve(path) : path);
}

async function withContext(context: JobsContext, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } finally {
    await context.backend.close();
  }
}

/** `scope jobs submit`: queues a job (Redis) or runs it here (no Redis); prints the job, then its result. */
export async function jobsSubmitCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseOptions(argv, submitSchema, SUBMIT_USAGE);
  const [kind, dataset] = positional;
  if (positional.length !== 2 || (kind !== 'storm' && kind !== 'denoise')) throw new UsageError(`usage: ${SUBMIT_USAGE}`);
  if (kind === 'denoise' && options.pixelSizeNm !== undefined) throw new UsageError('--pixel-size-nm is for storm jobs only');
  const context = jobsContextFrom(options);
  return withContext(context, async () => {
    const method: JobSpec['method'] =
      kind === 'storm'
        ? { kind, model: options.model ?? DEFAULT_DEEP_STORM_MODEL, runtime: options.runtime, pixelSizeNm: options.pixelSizeNm ?? null }
        : { kind, model: options.model ?? DEFAULT_CARE_MODEL, runtime: options.runtime };
    const key = dataSetKey(context, dataset);
    const request = {
      method,
      dataset: key,
      ...(options.id ? { id: options.id } : {}),
      ...(options.out ? { output: context.storage.keyOf(resolve(options.out)) } : {}),
    };
    if (context.backend.kind === 'in-process') process.stderr.write(`scope jobs: no Redis configured; running the job in this process\n`);
    const { spec, chunks } = await submitJob(context, request);
    process.stdout.write(`${JSON.stringify({ id: spec.id, backend: context.backend.kind, chunks: chunks.length, output: spec.output })}\n`);
    if (context.backend.kind === 'redis' && !options.wait) return EXIT.ok;
    const result = await context.backend.waitForResult(spec.id, options.timeoutS * 1000);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    for (const chunk of result.failedChunks) process.stderr.write(`scope jobs: chunk ${chunk.index} failed: ${chunk.error}\n`);
    return result.state === 'completed' ? EXIT.ok : EXIT.failure;
  });
}

/** `scope jobs status <id>`: the job and each chunk's state, workers, retries and error. */
export async function jobsStatusCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseOptions(argv, statusSchema, STATUS_USAGE);
  if (positional.length !== 1) throw new UsageError(`usage: ${STATUS_USAGE}`);
  const context = jobsContextFrom(options);
  return withContext(context, async () => {
    const status = await context.backend.status(positional[0]);
    process.stdout.write(options.json ? `${JSON.stringify(status)}\n` : formatJobStatus(status));
    return EXIT.ok;
  });
}
