import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { writeExampleEvaluation } from './support/agent-evaluation';
import { VIEWER_TOKEN } from './support/gateway-clients';
import type { RunningApp } from './support/start-app';
import { dashboardPerSuite } from './support/dashboard-suite';

describe("the dashboard shows the latest agent evaluation in the agent's section", () => {
  const suite = dashboardPerSuite('scope-agent-evaluation-page-', (directory) => ({
    storage: { directory: join(directory, 'data'), format: 'ome-tiff' },
    simulation: { cameraWidthPx: 64, cameraHeightPx: 48, serialLightSource: false },
    agent: { evaluationDir: join(directory, 'evaluation') },
  }));
  let running: RunningApp;
  let page: Page;
  let directory: string;
  beforeAll(() => ({ running, page, directory } = suite));

  it('says how to make one while there is none, then shows its plot and table (a viewer token is enough)', async () => {
    await page.goto(`${running.url}/#token=${VIEWER_TOKEN}`);
    await page.waitForSelector('#agent-evaluation[data-state="none"]', { timeout: 20_000 });
    expect(await page.textContent('#agent-evaluation')).toBe('no agent evaluation yet: run npm run bench -- agent');

    await writeExampleEvaluation(join(directory, 'evaluation'));
    await page.reload();
    await page.waitForSelector('#agent-evaluation[data-state="shown"]', { timeout: 20_000 });
    await page.waitForFunction(() => (document.querySelector('#agent-evaluation-plot') as HTMLImageElement | null)?.naturalWidth === 720);
    const rows = await page.$$eval('#agent-evaluation-table tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(7);
    expect(rows[6]).toMatch(/^agent ◆60\.0 ± 0\.0/);
    expect(await page.$$eval('#agent-evaluation li', (items) => items.length)).toBe(5);
  }, 60_000);
});
