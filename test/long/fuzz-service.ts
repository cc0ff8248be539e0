import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HardwareService } from '../../src/hardware/hardware.service';
import { startSimulatedApp, type RunningApp } from '../support/start-app';
import { configWithLedPresets } from '../support/light-record';

export const FUZZ_LIMIT_PERCENT = 80;

export interface FuzzedService {
  readonly running: RunningApp;
  readonly lightLog: string;
  readonly directory: string;
}

/** The simulated service the fuzzer drives: LED presets in its configuration, every light command recorded. */
export async function startFuzzedService(): Promise<FuzzedService> {
  const directory = mkdtempSync(join(tmpdir(), 'scope-fuzz-'));
  const lightLog = join(directory, 'light.jsonl');
  const running = await startSimulatedApp({
    simulation: { cameraWidthPx: 16, cameraHeightPx: 16, microManagerConfig: configWithLedPresets(directory), lightLogFile: lightLog },
    safety: { light: { maxPowerPercent: FUZZ_LIMIT_PERCENT, maxExposureMs: 20 } },
    storage: { directory: join(directory, 'data') },
    server: { rateLimit: { windowS: 1, maxRequests: 1_000_000 } },
  });
  await running.app.get(HardwareService).whenReady(30_000);
  return { running, lightLog, directory };
}
