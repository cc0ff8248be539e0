import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { HardwareService } from '../src/hardware/hardware.service';
import { buildWebBundle } from '../src/gateway/web/build-web';
import { writeExampleEvaluation } from './support/agent-evaluation';
import { launchChromium } from './support/browser';
import { VIEWER_TOKEN, TOKENS_CONFIG } from './support/gateway-clients';
import { startSimulatedApp, type RunningApp } from './support/start-app';

describe("the dashboard shows the latest agent evaluation in the agent's section", () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  let directory: string;

  beforeAll(async () => {
    browser = await launchChromium();
    await buildWebBundle();
    directory = await mkdtemp(join(tmpdir(), 'scope-agent-evaluation-page-'));
    running = await startSimulatedApp({
      server: TOKENS_CONFIG,
      storage: { directory: join(directory, 'data'), format: 'ome-tiff' },
      simulation: { cameraWidthPx: 64, cameraHeightPx: 48, serialLightSource: false },
      agent: { evaluationDir: join(directory, 'evaluation') },
    });
    await running.app.get(HardwareService).whenReady(30_000);
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('says how to make one while there is none, then shows its plot and table (a viewer token is enough)', async () => {
    await page.goto(`${running.url}/#token=${VIEWER_TOKEN}`);
    await page.waitForSelector('#agent-evaluation[data-state="none"]', { timeout: 20_000 });
    expect(await page.textContent('#agent-evaluation')).toBe('no agent evaluation yet: run npm run bench -- agent');

    await writeExampleEvaluation(join(directory, 'evaluation'));
    await page.reload();
    await page.waitForSelector('#agent-evaluation[data-state="shown"]', { timeout: 20_000 });
    await page.waitForFunction(() => (document.querySelector('#agent-evaluation-plot') as HTMLImageElement | null)?.naturalWidth === 720);
    const rows = await page.$$eval('#agent-evaluation-table tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(6);
    expect(rows[5]).toMatch(/^agent ◆60\.0 ± 0\.0/);
    expect(await page.$$eval('#agent-evaluation li', (items) => items.length)).toBe(4);
  }, 60_000);
});
