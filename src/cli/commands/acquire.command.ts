import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AcquisitionModule } from '../../acquisition/acquisition.module';
import { parsePlan, PlanSyntaxError, PlanValidationError } from '../../acquisition/plans';
import { AcquisitionService, type AcquisitionStatus, type StartOptions } from '../../acquisition/service/acquisition.service';
import type { RawFormat } from '../../acquisition/service/dataset-sink';
import { ConfigModule } from '../../config/config.module';
import type { ScopeConfig } from '../../scope-config';
import { ConfigError, mergeConfig } from '../../config/load-config';
import { loadConfig } from '../../scope-config';
import { HardwareModule } from '../../hardware/hardware.module';
import { HardwareService } from '../../hardware/hardware.service';
import { InsufficientSpaceError, UnknownHardwareError } from '../../acquisition/service/preflight';
import { JsonLogger } from '../../logging/json-logger';
import { TextProgress } from '../../models/cli/text-progress';
import { parseArgs, stringOption } from '../args';
import { UsageError } from '../main';

const USAGE =
  'scope acquire <plan.json|plan.yaml> --out <dir> [--format ome-tiff|ome-zarr] [--simulation | --endpoint tcp://host:port] [--config <file>] [--force] [--hardware-sequencing]';

@Module({})
class HeadlessAcquisitionModule {
  static forRoot(config: ScopeConfig): DynamicModule {
    return { module: HeadlessAcquisitionModule, imports: [ConfigModule.forRoot(config), HardwareModule, AcquisitionModule] };
  }
}

function configFrom(args: ReturnType<typeof parseArgs>, out: string, format: RawFormat | undefined): ScopeConfig {
  const overrides: Record<string, unknown> = { storage: { directory: out, ...(format ? { format } : {}) }, logging: { level: 'warn' } };
  const endpoint = stringOption(args, 'endpoint');
  if (endpoint) overrides.microManager = { endpoint };
  if (args.options.has('simulation')) overrides.simulation = { enabled: true };
  return loadConfig({ file: stringOption(args, 'config') ?? process.env.SCOPE_CONFIG, overrides: mergeConfig({}, overrides) });
}

/**
 * `scope acquire`: runs one plan headless against the configured microscope (the simulator with --simulation) and
 * writes the raw data set under --out. Ctrl-C cancels cleanly (hardware left safe, data set finalized).
 * Exit 0 finished, 1 failed, 130 cancelled.
 */
export async function acquireCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['simulation', 'force', 'hardware-sequencing']);
  const [file] = args.positional;
  const out = stringOption(args, 'out');
  if (!file || !out || args.positional.length > 1) throw new UsageError(`usage: ${USAGE}`);
  const format = stringOption(args, 'format') as RawFormat | undefined;
  if (format && format !== 'ome-tiff' && format !== 'ome-zarr') throw new UsageError(`--format must be ome-tiff or ome-zarr, got "${format}"`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read plan ${file}: ${(err as Error).message}`);
  }
  let plan: ReturnType<typeof parsePlan>;
  let config: ScopeConfig;
  try {
    plan = parsePlan(text, file.endsWith('.json') ? 'json' : /\.ya?ml$/.test(file) ? 'yaml' : undefined, file);
    config = configFrom(args, out, format);
  } catch (err) {
    if (err instanceof PlanValidationError || err instanceof PlanSyntaxError || err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const context = await NestFactory.createApplicationContext(HeadlessAcquisitionModule.forRoot(config), { logger: new JsonLogger(config.logging.level) });
  try {
    return await runPlan(context, plan, { force: args.options.has('force'), hardwareSequencing: args.options.has('hardware-sequencing') || undefined });
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
  const subscription = acquisitions.lifecycle$.subscribe((event) => bar.update(event.progress.framesWritten, event.type === 'paused' ? 'paused' : ''));
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
  process.stdout.write(`${JSON.stringify({ state: final.state, path: final.datasetPath, files: final.datasetFiles, format: final.format, framesWritten: final.framesWritten, elapsedS: final.elapsedS, error: final.error })}\n`);
  if (final.state === 'failed') process.stderr.write(`acquisition failed: ${final.error}\n`);
  return final.state === 'finished' ? 0 : final.state === 'cancelled' ? 130 : 1;
}
