import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { AcquisitionModule } from '../../acquisition/acquisition.module';
import { ConfigModule } from '../../config/config.module';
import { mergeConfig } from '../../config/load-config';
import { HardwareModule } from '../../hardware/hardware.module';
import { HardwareService } from '../../hardware/hardware.service';
import { JsonLogger } from '../../logging/json-logger';
import { CalibrationRefusedError } from '../../models/care/calibration/calibration-errors';
import { calibrationRequestSchema, type CalibrationRequest } from '../../models/care/calibration/calibration-request';
import { CalibrationService } from '../../models/care/calibration/calibration.service';
import { loadConfig, type ScopeConfig } from '../../scope-config';
import { parseOptions } from '../options';
import { UsageError } from '../usage-error';

export const CALIBRATE_CARE_USAGE =
  'scope calibrate care --out <dir> --low <percent> --high <percent> --exposure-ms <ms> --dose-budget <percent·s> ' +
  '[--count N] [--positions x,y;x,y…] [--grid-step-um um] [--channel N] [--name name] [--simulation | --endpoint tcp://host:port] [--config <file>]';

const optionsSchema = z
  .object({
    out: z.string().min(1).describe('storage folder: the pairs go to <out>/care-calibrations/<id>/'),
    low: z.coerce.number().describe('low light level, % (the one you will image at)'),
    high: z.coerce.number().describe('high light level, % (the targets; within safety.light.maxPowerPercent)'),
    exposureMs: z.coerce.number().describe('exposure of every frame, ms'),
    doseBudget: z.coerce.number().describe('light the calibration may use, % · s'),
    count: z.coerce.number().optional().describe('positions on a grid around the stage (default 4)'),
    positions: z.string().optional().describe('stage positions instead of a grid, µm: "x,y;x,y"'),
    gridStepUm: z.coerce.number().optional().describe('grid spacing, µm (default one field of view)'),
    channel: z.coerce.number().optional().describe('light source channel (default careTraining.calibration.channel)'),
    name: z.string().optional().describe('name recorded in calibration.json'),
    simulation: z.boolean().optional().describe('run against the built-in simulator'),
    endpoint: z.string().min(1).optional().describe('Micro-Manager bridge, tcp://host:port'),
    config: z.string().min(1).optional().describe('config file; $SCOPE_CONFIG by default'),
  })
  .strict();

type CalibrateOptions = z.infer<typeof optionsSchema>;

@Module({})
class HeadlessCalibrationModule {
  static forRoot(config: ScopeConfig): DynamicModule {
    return {
      module: HeadlessCalibrationModule,
      imports: [ConfigModule.forRoot(config), HardwareModule, AcquisitionModule],
      providers: [CalibrationService],
    };
  }
}

function positionsOf(text: string): Array<{ xUm: number; yUm: number }> {
  return text.split(';').map((pair) => {
    const [x, y, extra] = pair.split(',').map((v) => Number(v.trim()));
    if (extra !== undefined || !Number.isFinite(x) || !Number.isFinite(y)) throw new UsageError(`--positions: "${pair}" is not x,y in µm`);
    return { xUm: x, yUm: y };
  });
}

/** The command line as the REST body, validated by the same schema: the same refusals, named by option. */
function requestOf(options: CalibrateOptions): CalibrationRequest {
  const parsed = calibrationRequestSchema.safeParse({
    lowPercent: options.low,
    highPercent: options.high,
    exposureMs: options.exposureMs,
    doseBudgetPercentSeconds: options.doseBudget,
    ...(options.count !== undefined ? { count: options.count } : {}),
    ...(options.positions ? { positions: positionsOf(options.positions) } : {}),
    ...(options.gridStepUm !== undefined ? { gridStepUm: options.gridStepUm } : {}),
    ...(options.channel !== undefined ? { channel: options.channel } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  if (!parsed.success) {
    const field: Record<string, string> = {
      lowPercent: '--low',
      highPercent: '--high',
      exposureMs: '--exposure-ms',
      doseBudgetPercentSeconds: '--dose-budget',
      gridStepUm: '--grid-step-um',
    };
    throw new UsageError(
      parsed.error.issues.map((i) => `${field[String(i.path[0])] ?? `--${String(i.path[0])}`}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

/**
 * `scope calibrate care`: acquires CARE calibration pairs headless (the simulator with --simulation), as POST
 * /api/care/calibrations does, and prints the report as one JSON line. Exit 0 with pairs kept, 1 without, 2 when
 * the request is refused (a level beyond the envelope, a budget too small).
 */
export async function calibrateCareCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseOptions(argv, optionsSchema, CALIBRATE_CARE_USAGE);
  if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"\nusage: ${CALIBRATE_CARE_USAGE}`);
  const request = requestOf(options);
  const overrides: Record<string, unknown> = { storage: { directory: options.out }, logging: { level: 'warn' } };
  if (options.endpoint) overrides.microManager = { endpoint: options.endpoint };
  if (options.simulation) overrides.simulation = { enabled: true };
  const config = loadConfig({ file: options.config ?? process.env.SCOPE_CONFIG, overrides: mergeConfig({}, overrides) });
  const context = await NestFactory.createApplicationContext(HeadlessCalibrationModule.forRoot(config), {
    logger: new JsonLogger(config.logging.level),
  });
  try {
    await context.get(HardwareService).whenReady(60_000);
    const calibrations = context.get(CalibrationService);
    let id: string;
    try {
      id = (await calibrations.start(request, 'cli')).id;
    } catch (err) {
      if (err instanceof CalibrationRefusedError) throw new UsageError(err.message);
      throw err;
    }
    const report = await calibrations.finished(id);
    process.stdout.write(
      `${JSON.stringify({ id: report.id, state: report.state, directory: report.directory, pairsKept: report.pairsKept, pairsDropped: report.pairsDropped, retakes: report.retakes, dose: report.dose, durationS: report.durationS, error: report.error })}\n`,
    );
    if (report.state !== 'finished') process.stderr.write(`calibration failed: ${report.error}\n`);
    return report.state === 'finished' ? 0 : 1;
  } finally {
    await context.close();
  }
}
