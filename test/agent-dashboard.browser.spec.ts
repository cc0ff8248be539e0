import type { Page } from 'playwright-core';
import { OPERATOR_TOKEN } from './support/gateway-clients';
import type { RunningApp } from './support/start-app';
import { dashboardPerSuite } from './support/dashboard-suite';

describe('the dashboard says what the agent may do to a plan and what it did', () => {
  const suite = dashboardPerSuite('scope-agent-dashboard-', (directory) => ({
    storage: { directory, format: 'ome-tiff' },
    simulation: { cameraWidthPx: 64, cameraHeightPx: 48, serialLightSource: false },
    // every predicted risk counts as damage: the agent asks to slow down at each decision, up to its bound
    agent: { enabled: true, params: { riskThreshold: 0, intervalStretchMax: 2 } },
  }));
  let running: RunningApp;
  let page: Page;
  beforeAll(() => ({ running, page } = suite));
  beforeAll(async () => {
    await page.goto(`${running.url}/#token=${OPERATOR_TOKEN}`);
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: 20_000 });
  }, 30_000);

  it('shows the duration range in the preview and lists each decision with its settings and the bound that held it', async () => {
    const plan = { time_plan: { interval: 0.3, loops: 8 }, channels: [{ config: 'DAPI', exposure: 5 }] };
    await page.fill('#plan', JSON.stringify(plan));
    await page.click('#plan-preview-button');
    await page.waitForFunction(() => /stretch intervals/.test(document.querySelector('#plan-preview')!.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    expect(await page.textContent('#plan-preview')).toMatch(
      /^The agent is on: it may stretch intervals up to 2× the planned interval \(agent\.params\.intervalStretchMax\), so the plan takes 2\.1 s to 4\.21 s \(planned 2\.1 s\)/,
    );
    await page.click('#acquisition-start');
    await page.waitForSelector('#acquisition-status[data-state="finished"]', { timeout: 30_000 });
    await page.waitForFunction(
      () => /held by agent\.params\.intervalStretchMax/.test(document.querySelector('#decisions')!.textContent ?? ''),
      undefined,
      {
        timeout: 10_000,
      },
    );
    const lines = await page.$$eval('#decisions li', (items) => items.map((item) => item.textContent ?? ''));
    const held = lines.find((line) => /held by agent\.params\.intervalStretchMax/.test(line))!;
    expect(held).toMatch(
      /#\d+ (normal|event|fallback) · SNR [\d.]+ · risk [\d.]+ · dose [\d.]+ \/ [\d.]+ %·s · interval [\d.]+ (→ [\d.]+ )?s · exposure 5 ms/,
    );
  }, 60_000);
});
