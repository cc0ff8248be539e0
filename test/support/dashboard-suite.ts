import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildWebBundle } from '../../src/gateway/web/build-web';
import { HardwareService } from '../../src/hardware/hardware.service';
import { launchChromium } from './browser';
import { TOKENS_CONFIG } from './gateway-clients';
import { startSimulatedApp, type RunningApp } from './start-app';

/** The simulated service with tokens, its dashboard bundle built, and a chromium page on it: one per describe block. */
export interface DashboardSuite {
  readonly running: RunningApp;
  readonly browser: Browser;
  readonly page: Page;
  /** The suite's own temporary folder (its data sets go where `overrides` puts them). */
  readonly directory: string;
}

/**
 * Starts it in a beforeAll (chromium first: the suite fails, never skips, when it is missing), with the service's
 * configuration from `overrides(directory)` over the tokens, ready before the first test; closes all in afterAll.
 * Read its fields inside tests or a later beforeAll (they throw before it has started).
 */
export function dashboardPerSuite(folderPrefix: string, overrides: (directory: string) => Record<string, unknown>): DashboardSuite {
  let started: DashboardSuite | undefined;
  let browser: Browser | undefined;
  let running: RunningApp | undefined;
  let directory: string | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    await buildWebBundle();
    directory = await mkdtemp(join(tmpdir(), folderPrefix));
    running = await startSimulatedApp({ server: TOKENS_CONFIG, ...overrides(directory) });
    // the form's start is answered 503 until the microscope is connected and read (a loaded CI machine takes a while)
    await running.app.get(HardwareService).whenReady(30_000);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    started = { running, browser, page, directory };
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });
  const get = (): DashboardSuite => {
    if (!started) throw new Error(`the ${folderPrefix} dashboard suite has not started: read it inside a test`);
    return started;
  };
  return {
    get running() {
      return get().running;
    },
    get browser() {
      return get().browser;
    },
    get page() {
      return get().page;
    },
    get directory() {
      return get().directory;
    },
  };
}
