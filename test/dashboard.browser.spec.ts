import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningApp } from './support/start-app';
import { dashboardPerSuite } from './support/dashboard-suite';
import { OPERATOR_TOKEN } from './support/gateway-clients';
import { UNET2D_NUCLEI_BROAD } from '../src/models/zoo/testing/zoo-packages';

const ARTIFACTS = resolve(__dirname, '..', 'test-artifacts');

describe('the dashboard in a real browser', () => {
  const suite = dashboardPerSuite('scope-dashboard-', (directory) => ({
    storage: { directory, format: 'ome-tiff' },
    simulation: { cameraWidthPx: 128, cameraHeightPx: 128, serialLightSource: false },
    // Deep-STORM on the centred 16 px of each frame: a ×8 image of 128 px
    models: { zoo: { model: UNET2D_NUCLEI_BROAD, live: true }, storm: { live: true, method: 'deep-storm', roiPx: 16 } },
  }));
  let running: RunningApp;
  let page: Page;
  beforeAll(() => ({ running, page } = suite));

  it('is refused without a token and says so', async () => {
    await page.goto(running.url + '/');
    await page.waitForSelector('#connection[data-state="refused"]', { timeout: 20_000 });
    expect(await page.textContent('#connection')).toMatch(/401/);
  });

  it('shows the live image changing once given a token', async () => {
    await page.goto(`${running.url}/#token=${OPERATOR_TOKEN}`);
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: 20_000 });
    expect(await page.textContent('#role')).toMatch(/operator/);
    // Sequence and pixels are read in one evaluation: a frame arriving between two reads would pair them wrongly.
    const snapshot = () =>
      page.evaluate(() => {
        const canvas = document.querySelector('#live') as HTMLCanvasElement;
        return { sequence: Number(canvas.getAttribute('data-sequence') ?? -1), pixels: canvas.toDataURL() };
      });
    await page.waitForFunction(() => Number(document.querySelector('#live')?.getAttribute('data-sequence') ?? -1) >= 0, undefined, {
      timeout: 30_000,
    });
    const first = await snapshot();
    await page.waitForFunction((seen) => Number(document.querySelector('#live')!.getAttribute('data-sequence')) > seen, first.sequence, {
      timeout: 30_000,
    });
    const later = await snapshot();
    expect(later.sequence).toBeGreaterThan(first.sequence);
    expect(later.pixels).not.toBe(first.pixels);
    // The token left the address bar once read.
    expect(page.url()).not.toContain(OPERATOR_TOKEN);
  });

  it('previews and starts an acquisition from the form and shows its progress to the end', async () => {
    const plan = { metadata: { name: 'from-browser' }, time_plan: { interval: 0, loops: 6 }, channels: [{ config: 'DAPI', exposure: 10 }] };
    await page.fill('#plan', JSON.stringify(plan));
    await page.click('#plan-preview-button');
    await page.waitForFunction(
      () => /"events"|"totalEvents"|eventCount|frames/i.test(document.querySelector('#plan-preview')!.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    await page.click('#acquisition-start');
    await page.waitForFunction(
      () => Number(document.querySelector('#acquisition-status')!.getAttribute('data-frames-acquired')) > 0,
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForSelector('#acquisition-status[data-state="finished"]', { timeout: 30_000 });
    expect(await page.textContent('#acquisition-status')).toMatch(/6\/6 frames/);
    expect(await page.getAttribute('#acquisition-progress', 'value')).toBe('6');
    // the Zoo model's output (nuclei probability) in its own pane beside raw, with its confidence
    const zooPane = '.pane[data-stream="zoo"]';
    await page.waitForFunction(
      (pane) => Number(document.querySelector(`${pane} canvas`)?.getAttribute('data-sequence') ?? -1) >= 0,
      zooPane,
      { timeout: 30_000 },
    );
    // titled by the package's own name once it has loaded (its folder's name before)
    expect(await page.textContent(`${zooPane} h3`)).toBe('UNet 2D Nuclei Broad (BioImage Model Zoo) (other)');
    expect(await page.textContent(`${zooPane} .quality`)).toMatch(/^confidence 0\.\d\d$/);
    // Deep-STORM's growing reconstruction fills its pane, with its SQUIRREL figure and error map beside it
    const stormPane = '.pane[data-stream="super-resolved"]';
    await page.waitForFunction(
      (pane) => Number(document.querySelector(`${pane} .error-map canvas`)?.getAttribute('data-sequence') ?? -1) >= 0,
      stormPane,
      { timeout: 30_000 },
    );
    expect(await page.textContent(`${stormPane} h3`)).toBe('Deep-STORM (super-resolved)');
    const lit = await page.$$eval(`${stormPane} .view canvas:not(.overlay), ${stormPane} .error-map canvas`, (canvases) =>
      (canvases as HTMLCanvasElement[]).map((canvas) => {
        const rgba = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let nonZero = 0;
        for (let i = 0; i < rgba.length; i += 4) if (rgba[i] > 0) nonZero++;
        return { width: canvas.width, nonZero };
      }),
    );
    expect(lit).toEqual([
      { width: 128, nonZero: expect.any(Number) },
      { width: 128, nonZero: expect.any(Number) },
    ]);
    expect(lit.map((canvas) => canvas.nonZero > 0)).toEqual([true, true]);
    expect(await page.textContent(`${stormPane} .quality`)).toMatch(/^SQUIRREL RSP -?[01]\.\d\d$/);
    expect(await page.isVisible(`${stormPane} .pane-note`)).toBe(false);
    // raw stands beside it: the two panes share a row
    const [rawBox, stormBox] = [await page.$('.pane[data-stream="raw"]'), await page.$(stormPane)].map((e) => e!.boundingBox());
    expect((await stormBox)!.y).toBeLessThan((await rawBox)!.y + (await rawBox)!.height);
    expect(await page.$$eval('.pane-missing', (notes) => notes.map((n) => n.textContent))).toEqual([
      'no CARE model running (models.care.live is off, or no model is deployed)',
    ]);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it("shows the agent's state as the service reports it", async () => {
    await page.waitForSelector('#agent-status[data-available]', { timeout: 10_000 });
    const agent = (await (await fetch(`${running.url}/api/agent`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).json()) as {
      enabled: boolean;
      decisions: number;
    };
    expect(await page.getAttribute('#agent-status', 'data-available')).toBe('true');
    expect(await page.textContent('#agent-status')).toContain(`enabled: ${agent.enabled}`);
  });
  it('refuses a calibration beyond the light limit and names the limit', async () => {
    await page.fill('#care-high', '95');
    await page.click('#care-calibrate');
    await page.waitForFunction(() => /80/.test(document.querySelector('#care-calibration-status')!.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
    expect(await page.textContent('#care-calibration-status')).toMatch(/high.*95.*80|80.*95/i);
  });

  it('calibrates from the panel, shows the training loss and the table against classical filters, deploys', async () => {
    await page.fill('#care-low', '5');
    await page.fill('#care-high', '60');
    await page.fill('#care-exposure', '10');
    await page.fill('#care-count', '3');
    await page.fill('#care-budget', '10');
    await page.click('#care-calibrate');
    await page.waitForSelector('#care-calibration-status[data-state="finished"]', { timeout: 60_000 });
    expect(await page.textContent('#care-calibration-status')).toMatch(/3 pairs kept, 0 dropped/);
    const calibrationId = /calibration (\S+):/.exec((await page.textContent('#care-calibration-status')) ?? '')![1];
    // The panel trains with the configured network; the test asks for the tiny one through the same REST route.
    const tiny = { network: 'tiny', epochs: 4, stepsPerEpoch: 10, batch: 8, patchPx: 32, patchesPerImage: 16, learningRate: 0.004 };
    const started = await fetch(`${running.url}/api/care/trainings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ calibrationId, ...tiny }),
    });
    expect(started.status).toBe(202);
    await page.waitForSelector('#care-training-status[data-state="finished"]', { timeout: 120_000 });
    expect(Number(await page.getAttribute('#care-loss', 'data-epochs'))).toBe(4);
    const methods = await page.$$eval('#care-evaluation tr td:first-child', (cells) => cells.map((c) => c.textContent));
    expect(methods).toEqual(expect.arrayContaining(['raw', 'gaussian', 'median', 'care']));
    expect(await page.textContent('#care-verdict')).toMatch(/classical/);
    await page.click('#care-deploy');
    await page.waitForFunction(() => /live CARE runs/.test(document.querySelector('#care-deployed')!.textContent ?? ''), undefined, {
      timeout: 30_000,
    });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-care.png'), fullPage: true });
  }, 200_000);
});
