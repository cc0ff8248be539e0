import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { OPERATOR_TOKEN } from './support/gateway-clients';
import type { RunningApp } from './support/start-app';
import { dashboardPerSuite } from './support/dashboard-suite';

const ARTIFACTS = resolve(__dirname, '..', 'test-artifacts', 'agent-dashboard');

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
    // the form rewrites the JSON once the channel presets arrive: the test's own plan goes in after that
    await page.waitForSelector('.plan-channel[data-preset="DAPI"]', { state: 'attached', timeout: 20_000 });
    await mkdir(ARTIFACTS, { recursive: true });
  }, 30_000);

  it('shows the duration range in the preview and lists each decision with its settings and the bound that held it', async () => {
    const plan = { time_plan: { interval: 0.3, loops: 8 }, channels: [{ config: 'DAPI', exposure: 5 }] };
    await page.fill('#plan', JSON.stringify(plan));
    await page.click('#plan-preview-button');
    // the form's own plan may be previewed first (it previews as it is written): wait for this plan's figures
    await page.waitForFunction(() => /\(planned 2\.1 s\)/.test(document.querySelector('#plan-preview')!.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    expect(await page.textContent('#plan-preview')).toMatch(
      /^The agent is on: it may stretch intervals up to 2× the planned interval \(agent\.params\.intervalStretchMax\), so the plan takes 2\.1 s to 4\.21 s \(planned 2\.1 s\)/,
    );
    // the timeline's length and the run's state each time an entry is added, as the page saw them
    await page.evaluate(() => {
      const list = document.querySelector('#decisions')!;
      const seen: Array<{ count: number; state: string }> = [];
      (window as unknown as { timeline: typeof seen }).timeline = seen;
      new MutationObserver(() =>
        seen.push({ count: list.children.length, state: document.querySelector('#acquisition-status')!.getAttribute('data-state') ?? '' }),
      ).observe(list, { childList: true });
    });
    await page.click('#acquisition-start');
    await page.waitForSelector('#acquisition-status[data-state="finished"]', { timeout: 30_000 });
    await page.waitForFunction(
      () => /held by agent\.params\.intervalStretchMax/.test(document.querySelector('#decisions')!.textContent ?? ''),
      undefined,
      {
        timeout: 10_000,
      },
    );
    const whileRunning = (await page.evaluate(() => (window as unknown as { timeline: Array<{ count: number; state: string }> }).timeline))
      .filter((sample) => sample.state === 'running')
      .map((sample) => sample.count);
    // entries were gained during the run, not only listed at its end
    expect(new Set(whileRunning).size).toBeGreaterThanOrEqual(2);
    // each entry draws the light it chose against the envelope's limit, and says both
    const gauges = await page.$$eval('#decisions li', (items) =>
      items.map((item) => {
        const meter = item.querySelector('meter.decision-light') as HTMLMeterElement;
        return { light: meter.value, envelope: meter.high, agent: Number(meter.dataset.agentPercent), text: item.textContent ?? '' };
      }),
    );
    expect(gauges.length).toBeGreaterThanOrEqual(8);
    for (const gauge of gauges) {
      // the envelope's 80 % (safety.light), the agent's own 60 % (agent.params.maxIlluminationPercent) inside it
      expect([gauge.envelope, gauge.agent]).toEqual([80, 60]);
      expect(gauge.light).toBeLessThanOrEqual(gauge.agent);
      expect(gauge.text).toMatch(/ · light [\d.]+ (→ [\d.]+ )?% \(agent ≤ 60 %, envelope ≤ 80 %\) · /);
    }
    const lines = gauges.map((gauge) => gauge.text);
    const held = lines.find((line) => /held by agent\.params\.intervalStretchMax/.test(line))!;
    expect(held).toMatch(
      /#\d+ (normal|event|fallback) · SNR [\d.]+ · risk [\d.]+ · dose [\d.]+ \/ [\d.]+ %·s · interval [\d.]+ (→ [\d.]+ )?s · exposure 5 ms/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'agent-timeline.png'), fullPage: true });
  }, 60_000);

  it('switches the agent off and on and overrides its light from the page', async () => {
    await page.click('#agent-off');
    await page.waitForSelector('#agent-status[data-enabled="false"]', { timeout: 10_000 });
    expect(await page.getAttribute('#agent-off', 'aria-pressed')).toBe('true');
    await page.click('#agent-on');
    await page.waitForSelector('#agent-status[data-enabled="true"]', { timeout: 10_000 });
    await page.fill('#agent-override', '5');
    await page.click('#agent-override-send');
    await page.waitForSelector('#agent-status[data-override="5"]', { timeout: 10_000 });
    expect(await page.textContent('#agent-status')).toContain('overrideIlluminationPercent: 5');
    await page.click('#agent-override-clear');
    await page.waitForSelector('#agent-status[data-override=""]', { timeout: 10_000 });
  });
});
