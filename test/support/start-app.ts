import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/main';
import { loadConfig, mergeConfig } from '../../src/config/load-config';
import type { ScopeConfig } from '../../src/config/config.schema';
import { freePort } from './free-port';

export interface RunningApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly config: ScopeConfig;
  close(): Promise<void>;
}

/** The real service in simulation mode on free ports, its simulator a real child process. */
export async function startSimulatedApp(overrides: Record<string, unknown> = {}): Promise<RunningApp> {
  const [httpPort, bridgePort] = [await freePort(), await freePort()];
  const base = {
    simulation: { enabled: true, cameraWidthPx: 256, cameraHeightPx: 256 },
    microManager: { endpoint: `tcp://127.0.0.1:${bridgePort}`, timeoutMs: 5000 },
    server: { host: '127.0.0.1', port: httpPort },
    logging: { level: 'warn' },
  };
  const config = loadConfig({ overrides: mergeConfig(base, overrides) });
  const app = await createApp(config);
  await app.listen(httpPort, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${httpPort}`, config, close: () => app.close() };
}
