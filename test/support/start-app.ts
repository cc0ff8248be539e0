import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HardwareService } from '../../src/hardware/hardware.service';
import { createApp } from '../../src/main';
import { mergeConfig } from '../../src/config/load-config';
import { loadConfig } from '../../src/scope-config';
import type { ScopeConfig } from '../../src/scope-config';
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
  return { app, url: `${config.server.tls ? 'https' : 'http'}://127.0.0.1:${httpPort}`, config, close: () => app.close() };
}

/** A RunningApp for one describe block, with the temporary folder its data sets go to. */
export interface SuiteApp extends RunningApp {
  readonly directory: string;
}

/**
 * The simulated service for one describe block: started in its beforeAll with raw data in a temporary folder of
 * its own, ready (microscope connected) before the first test, closed and its folder removed in its afterAll. Its
 * fields are read inside tests (they throw before the service has started).
 */
export function simulatedAppPerSuite(folderPrefix: string, overrides: Record<string, unknown> = {}): SuiteApp {
  let running: RunningApp | undefined;
  let directory: string | undefined;
  const started = (): { running: RunningApp; directory: string } => {
    if (!running || !directory) throw new Error(`the ${folderPrefix} service is read before it has started`);
    return { running, directory };
  };
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), folderPrefix));
    running = await startSimulatedApp(mergeConfig({ storage: { directory, format: 'ome-tiff' } }, overrides));
    await running.app.get(HardwareService).whenReady(30_000);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });
  return {
    get app() {
      return started().running.app;
    },
    get url() {
      return started().running.url;
    },
    get config() {
      return started().running.config;
    },
    get directory() {
      return started().directory;
    },
    close: () => started().running.close(),
  };
}
