import 'reflect-metadata';
import { z } from 'zod';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AcquisitionModule } from '../../acquisition/acquisition.module';
import type { parsePlan } from '../../acquisition/plans';
import { AcquisitionService, type AcquisitionStatus, type StartOptions } from '../../acquisition/service/acquisition.service';
import type { RawFormat } from '../../acquisition/service/dataset-sink';
import { ConfigModule } from '../../config/config.module';
import { mergeConfig } from '../../config/load-config';
import { loadConfig, type ScopeConfig } from '../../scope-config';
import { HardwareModule } from '../../hardware/hardware.module';
import { HardwareService } from '../../hardware/hardware.service';
import { InsufficientSpaceError, UnknownHardwareError } from '../../acquisition/service/preflight';
import { JsonLogger } from '../../logging/json-logger';
import { parseOptions } from '../options';
import { TextProgress } from '../text-progress';
import { UsageError } from '../usage-error';
import { readPlanFile } from './plan-file';

const USAGE =
  'scope acquire <plan.json|plan.yaml> --out <dir> [--format ome-tiff|ome-zarr] [--zarr-version 2|3] [--simulation | --endpoint tcp://host:port] [--config <file>] [--force] [--hardware-sequencing]';

const optionsSchema = z.object({
  out: z.string().min(1).optional().describe('folder the data set is written under (required)'),
  format: z.string().optional().describe("ome-tiff or ome-zarr; the config's storage.format by default"),
  zarrVersion: z
    .string()
    .optional()
    .describe('OME-Zarr: 2 (NGFF 0.4, a file per plane) or 3 (NGFF 0.5, shards); storage.zarr.version by default'),
  simulation: z.boolean().optional().describe('run against the built-in simulator'),
  endpoint: z.string().min(1).optional().describe('Micro-Manager bridge, tcp://host:port'),
  config: z.string().min(1).optional().describe('config file; $SCOPE_CONFIG by default'),
  force: z.boolean().optional().describe('start even if the disk looks too small for the data set'),
  hardwareSequencing: z.boolean().optional().describe('run the plan as hardware sequences whatever the config says'),
});

type AcquireOptions = z.infer<typeof optionsSchema>;

@Module({})
class HeadlessAcquisitionModule {
  static forRoot(config: ScopeConfig): DynamicModule {
    return { module: HeadlessAcquisitionModule, imports: [ConfigModule.forRoot(config), HardwareModule, AcquisitionModule] };
  }
}

function configFrom(options: AcquireOptions, out: string, format: RawFormat | undefined): ScopeConfig {
  const zarr = options.zarrVersion ? { zarr: { version: Number(options.zarrVersion) } } : {};
  const storage = { directory: out, ...(format ? { format } : {}), ...zarr };
  const overrides: Record<string, unknown> = { storage, logging: { level: 'warn' } };
  if (options.endpoint) overrides.microManager = { endpoint: options.endpoint };
  if (options.simulation) overrides.simulation = { enabled: true };
  return loadConfig({ file: options.config ?? process.env.SCOPE_CONFIG, overrides: mergeConfig({}, overrides) });
}

/**
 * `scope acquire`: runs one plan headless against the configured microscope (the simulator with --simulation) and
 * writes the raw data set under --out. Ctrl-C cancels cleanly (hardware left safe, data set finalized).
 * Exit 0 finished, 1 failed, 130 cancelled (2 and 78 for command lines and configurations that cannot run).
 */
export async function acquireCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseOptions(argv, optionsSchema, USAGE);
  const [file] = positional;
  const out = options.out;
  if (!file || !out || positional.length > 1) throw new UsageError(`usage: ${USAGE}`);
  const format = options.format as RawFormat | undefined;
  if (format && format !== 'ome-tiff' && format !== 'ome-zarr')
    throw new UsageError(`--format must be ome-tiff or ome-zarr, got "${format}"`);
  if (options.zarrVersion !== undefined && !['2', '3'].includes(options.zarrVersion))
    throw new UsageError(`--zarr-version must be 2 or 3, got "${options.zarrVersion}"`);
  const plan = readPlanFile(file);
  // A ConfigError propagates: exit 78, as the service gives for the same file.
  const config = configFrom(options, out, format);
  const context = await NestFactory.createApplicationContext(HeadlessAcquisitionModule.forRoot(config), {
    logger: new JsonLogger(config.logging.level),
  });
  try {
    return await runPlan(context, plan, { force: !!options.force, hardwareSequencing: options.hardwareSequencing || undefined });
  } finally {
    await context.close();
  }
}

async function runPlan(context: INestApplicationContext, plan: ReturnType<typeof parsePlan>, options: StartOptions): Promise<number> {
  await context.get(HardwareService).whenReady(60_000);
  const acquisitions = context.get(AcquisitionService);
  let started: AcquisitionStatus;
  try {
    started = await acquisitions.startPlan(plan, options);
  } catch (err) {
    if (err instanceof UnknownHardwareError || err instanceof InsufficientSpaceError) throw new UsageError(err.message);
    throw err;
  }
  process.stderr.write(`acquiring ${started.framesPlanned} frames into ${started.datasetPath}\n`);
  const bar = new TextProgress('acquire', started.framesPlanned);
  const subscription = acquisitions.lifecycle$.subscribe((event) =>
    bar.update(event.progress.framesWritten, event.type === 'paused' ? 'paused' : ''),
  );
  const cancel = () => {
    process.stderr.write('\ncancelling: closing the shutter, switching the light off, finalizing the data set\n');
    acquisitions.get(started.acquisitionId).cancel();
  };
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  let final: AcquisitionStatus;
  try {
    final = await acquisitions.finished(started.acquisitionId);
  } finally {
    subscription.unsubscribe();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
  bar.finish(final.state);
  process.stdout.write(
    `${JSON.stringify({ state: final.state, path: final.datasetPath, files: final.datasetFiles, format: final.format, framesWritten: final.framesWritten, elapsedS: final.elapsedS, error: final.error })}\n`,
  );
  if (final.state === 'failed') process.stderr.write(`acquisition failed: ${final.error}\n`);
  return final.state === 'finished' ? 0 : final.state === 'cancelled' ? 130 : 1;
}
