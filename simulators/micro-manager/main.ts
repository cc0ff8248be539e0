/**
 * The simulated Micro-Manager as a process:
 * `npm run sim:mm -- --port 4827 [--host 127.0.0.1] [--config file.cfg] [--seed 1] [--no-led] [--light-state-file F]
 *   [--drift-um-per-hour 0] [--time-scale 1] [--drop-frames 3,7] [--overflow-at-frame N]`
 * --drop-frames: camera frame numbers each sequence acquisition loses; --overflow-at-frame N: stop-on-overflow
 * sequences overflow their circular buffer at frame N (fault injection).
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { startMicroManagerSimulator } from './index';

const VALUE_FLAGS = [
  'port',
  'host',
  'config',
  'seed',
  'light-state-file',
  'light-log',
  'drift-um-per-hour',
  'time-scale',
  'drop-frames',
  'overflow-at-frame',
] as const;

const Cli = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4827),
  host: z.string().min(1).default('127.0.0.1'),
  config: z
    .string()
    .refine((file) => existsSync(file), { message: 'no such configuration file' })
    .optional(),
  seed: z.coerce.number().int().default(1),
  noLed: z.boolean().default(false),
  'light-state-file': z.string().min(1).optional(),
  'light-log': z.string().min(1).optional(),
  'drift-um-per-hour': z.coerce.number().finite().default(0),
  'time-scale': z.coerce.number().finite().positive().default(1),
  'drop-frames': z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated frame numbers, e.g. 3,7')
    .transform((list) => list.split(',').map(Number))
    .optional(),
  'overflow-at-frame': z.coerce.number().int().nonnegative().optional(),
});

function parseArgs(argv: readonly string[]): z.infer<typeof Cli> {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--no-led') raw.noLed = true;
    else if (VALUE_FLAGS.some((name) => flag === `--${name}`)) {
      if (argv[i + 1] === undefined) throw new Error(`${flag} needs a value`);
      raw[flag.slice(2)] = argv[++i];
    } else
      throw new Error(
        `unknown argument "${flag}" (use --port, --host, --config, --seed, --no-led, --light-state-file, --light-log, --drift-um-per-hour, --time-scale, --drop-frames, --overflow-at-frame)`,
      );
  }
  const parsed = Cli.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '));
  return parsed.data;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim = await startMicroManagerSimulator({
    host: args.host,
    port: args.port,
    configFile: args.config,
    seed: args.seed,
    lightSource: args.noLed ? null : undefined,
    lightStateFile: args['light-state-file'],
    lightLogFile: args['light-log'],
    driftUmPerHour: args['drift-um-per-hour'],
    timeScale: args['time-scale'],
    droppedImageNumbers: args['drop-frames'],
    overflowAtImageNumber: args['overflow-at-frame'],
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Announced after the handlers: a SIGTERM sent the moment a test reads this line must stop the simulator cleanly.
  process.stdout.write(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      msg: 'simulated Micro-Manager listening',
      endpoint: sim.endpoint,
      devices: sim.core.loadedDevices(),
    }) + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`simulated Micro-Manager failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
