/** `npm run sim:mm -- --port 4827 [--host 127.0.0.1] [--config file.cfg] [--seed 1]` */
import { startMicroManagerSimulator } from './index';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(option('port') ?? 4827);
  const seed = Number(option('seed') ?? 1);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${option('port')}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${option('seed')}`);
  const sim = await startMicroManagerSimulator({ host: option('host') ?? '127.0.0.1', port, configFile: option('config'), seed });
  process.stdout.write(
    JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'simulated Micro-Manager listening', endpoint: sim.endpoint, devices: sim.core.loadedDevices() }) + '\n',
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulated Micro-Manager failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
