/**
 * `npm run sim:light -- --link /tmp/ttyLED [--state-file F | --no-state-file] [--delay-ms N] [--garble-rate 0..1]
 *  [--garble-mode corrupt|partial|noise] [--silent] [--echo] [--seed N] [--max-power-mw 100,100,100,100] [--raw-echo]
 *  [--chatty-select] [--light-log F]`
 *
 * Runs an emulated CoolLED pE-4000 on a pseudo-terminal at --link until SIGINT/SIGTERM. SIGUSR1 pulls or puts back
 * the USB cable; SIGUSR2 power-cycles the device. The state is also written to --state-file (default <link>.state.json).
 * --chatty-select answers C<x>S / C<x>X with a status line, as the real device does not (for driver tests).
 * --light-log appends every command line the device reads to F, one JSON line each (the safety record).
 */
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { SerialLightSourceEmulator } from './emulator';

const flags = new Set(['silent', 'echo', 'raw-echo', 'no-state-file', 'chatty-select']);

function parseArgs(argv: readonly string[]): Record<string, string | true> {
  const args: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    if (flags.has(name)) args[name] = true;
    else if (i + 1 < argv.length) args[name] = argv[++i];
    else throw new Error(`--${name} needs a value`);
  }
  return args;
}

const number = (min: number, max: number) => z.coerce.number().min(min).max(max);
const cliSchema = z
  .object({
    link: z.string().min(1),
    'state-file': z.string().min(1).optional(),
    'no-state-file': z.literal(true).optional(),
    'delay-ms': number(0, 60_000).default(0),
    'garble-rate': number(0, 1).default(0),
    'garble-mode': z.enum(['corrupt', 'partial', 'noise']).default('corrupt'),
    silent: z.literal(true).optional(),
    echo: z.literal(true).optional(),
    'raw-echo': z.literal(true).optional(),
    'chatty-select': z.literal(true).optional(),
    'light-log': z.string().min(1).optional(),
    seed: z.coerce.number().int().default(1),
    'max-power-mw': z
      .string()
      .transform((s) => s.split(',').map(Number))
      .pipe(z.array(z.number().nonnegative()).length(4))
      .optional(),
  })
  .strict();

async function main(): Promise<void> {
  const parsed = cliSchema.safeParse(parseArgs(process.argv.slice(2)));
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const args = parsed.data;
  const stateFile = args['no-state-file'] ? undefined : (args['state-file'] ?? `${args.link}.state.json`);
  const emulator = await SerialLightSourceEmulator.start({
    linkPath: args.link,
    stateFile,
    maxPowerMw: args['max-power-mw'],
    seed: args.seed,
    rawEcho: args['raw-echo'] ?? false,
    chattySelect: args['chatty-select'] ?? false,
    faults: {
      replyDelayMs: args['delay-ms'],
      garbleRate: args['garble-rate'],
      garbleMode: args['garble-mode'],
      silent: args.silent ?? false,
      echo: args.echo ?? false,
    },
  });
  const lightLog = args['light-log'];
  if (lightLog)
    emulator.on('command', (line: string) =>
      appendFileSync(lightLog, JSON.stringify({ at: new Date().toISOString(), device: 'pE-4000', command: line }) + '\n'),
    );
  const log = (msg: string, extra: Record<string, unknown> = {}) =>
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg, ...extra }) + '\n');

  // While the cable is pulled nothing else holds the event loop open: the device itself must stay alive.
  const keepAlive = setInterval(() => undefined, 60_000);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.on('SIGUSR1', () => {
    const change = emulator.pluggedIn ? emulator.unplug() : emulator.plugIn();
    void change.then(() => log(emulator.pluggedIn ? 'cable plugged in' : 'cable pulled'));
  });
  process.on('SIGUSR2', () => void emulator.powerCycle().then(() => log('power-cycled')));
  // Announced only once every signal is handled: a SIGUSR1 that arrived between the announcement and the handler
  // would start Node's inspector instead of pulling the cable (seen once in CI on a loaded machine).
  log('emulated pE-4000 ready', { link: args.link, stateFile: stateFile ?? null, pid: process.pid });
}

main().catch((err: unknown) => {
  process.stderr.write(`emulated pE-4000 failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
