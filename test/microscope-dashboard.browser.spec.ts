import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { VIEWER_REASON } from '../src/gateway/web/operator-gate';
import { dashboardPerSuite } from './support/dashboard-suite';
import { OPERATOR_TOKEN, VIEWER_TOKEN } from './support/gateway-clients';
import { bestShift, type GreyImage } from './support/image-shift';
import { writeBlinkingMovie } from './support/jobs-data';
import { runScope } from './support/scope-cli';
import type { RunningApp } from './support/start-app';

const ARTIFACTS = resolve(__dirname, '..', 'test-artifacts', 'microscope-dashboard');
const CAMERA_PX = 128;

/** The raw pane's pixels and the frame they belong to, read in one evaluation. */
const rawFrame = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector('#live') as HTMLCanvasElement;
    const rgba = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const grey: number[] = [];
    for (let i = 0; i < rgba.length; i += 4) grey.push(rgba[i]);
    return { sequence: Number(canvas.dataset.sequence ?? -1), width: canvas.width, height: canvas.height, grey };
  });

const frameAfter = async (page: Page, sequence: number): Promise<GreyImage & { sequence: number }> => {
  await page.waitForFunction((seen) => Number(document.querySelector('#live')?.getAttribute('data-sequence') ?? -1) > seen, sequence, {
    timeout: 20_000,
  });
  return rawFrame(page);
};

describe('the dashboard a microscopist drives the microscope from', () => {
  const suite = dashboardPerSuite('scope-microscope-dashboard-', (directory) => ({
    storage: { directory, format: 'ome-tiff' },
    simulation: { cameraWidthPx: CAMERA_PX, cameraHeightPx: CAMERA_PX, serialLightSource: false },
  }));
  let running: RunningApp;
  let page: Page;
  beforeAll(async () => {
    ({ running, page } = suite);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.goto(`${running.url}/#token=${OPERATOR_TOKEN}`);
    await page.waitForSelector('#connection[data-state="connected"]', { timeout: 20_000 });
    await page.waitForSelector('#channel-preset option[value="DAPI"]', { state: 'attached', timeout: 20_000 });
  }, 40_000);

  it('jogs the stage and the live image moves by the step (the specimen moves with the stage)', async () => {
    const before = await frameAfter(page, -1);
    // once frames come, the pane says nothing about waiting for them
    expect(await page.isVisible('.pane[data-stream="raw"] .pane-note')).toBe(false);
    await page.fill('#jog-step', '10');
    await page.click('#jog-right');
    await page.waitForFunction(() => document.querySelector('#stage-xy-position')?.getAttribute('data-x-um') === '10', undefined, {
      timeout: 10_000,
    });
    // a frame snapped while the stage was still moving is skipped: two frames later it has settled
    const moving = await rawFrame(page);
    const after = await frameAfter(page, moving.sequence + 1);
    const shift = bestShift(before, after, 14);
    // 1 µm pixels: 10 µm to +x brings what was 10 columns to the right under the same pixel
    expect(shift).toEqual({ dx: 10, dy: 0, correlation: expect.any(Number) });
    expect(shift.correlation).toBeGreaterThan(0.5);
    const stage = (await (await fetch(`${running.url}/api/stage`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).json()) as {
      xy: { xUm: number };
    };
    expect(stage.xy.xUm).toBe(10);
    await page.screenshot({ path: join(ARTIFACTS, 'devices-and-live.png'), fullPage: true });
  });

  it('reads µm and value under the cursor, draws a scale bar, zooms with the wheel', async () => {
    const canvas = (await page.$('#live'))!;
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.75);
    const readout = '.pane[data-stream="raw"] .readout';
    expect(Number(await page.getAttribute(readout, 'data-x-um'))).toBeCloseTo(CAMERA_PX * 0.25, 0);
    expect(Number(await page.getAttribute(readout, 'data-y-um'))).toBeCloseTo(CAMERA_PX * 0.75, 0);
    expect(await page.textContent(readout)).toMatch(/^x 32\.\d µm, y 96\.\d µm · value ≈ \d+$/);
    const bar = '.pane[data-stream="raw"] .scale-bar';
    const barUm = Number(await page.getAttribute(bar, 'data-um'));
    const barPx = (await (await page.$(bar))!.boundingBox())!.width;
    // the bar's length on the screen is its µm at the canvas's µm per screen pixel
    expect(barPx).toBeCloseTo((barUm * box.width) / CAMERA_PX, 0);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -600);
    await page.waitForFunction(() =>
      /scale\((?!1\))/.test((document.querySelector('.pane[data-stream="raw"] .view') as HTMLElement).style.transform),
    );
    expect((await (await page.$('#live'))!.boundingBox())!.width).toBeGreaterThan(box.width * 2);
    expect(Number(await page.getAttribute(bar, 'data-um'))).toBeLessThan(barUm);
    // no model runs in this service: each model's place says so, rather than an empty pane
    expect(await page.$$eval('.pane-missing', (notes) => notes.map((n) => n.textContent))).toEqual([
      'no CARE model running (models.care.live is off, or no model is deployed)',
      'no Deep-STORM running (models.storm.live is off)',
      'no Zoo model running (models.zoo.live is off)',
    ]);
    await page.dblclick('.pane[data-stream="raw"] .viewport');
  });

  it('never sends more light than the envelope allows and draws its limit', async () => {
    const power = '.light-channel[data-channel="0"] .light-power';
    expect(await page.getAttribute(power, 'data-max-power-percent')).toBe('80');
    const sent = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/api/illumination/channels/0'));
    await page.$eval(power, (input: HTMLInputElement) => {
      input.value = '95';
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
    });
    expect(JSON.parse((await sent).postData() ?? '{}')).toEqual({ powerPercent: 80 });
    await page.waitForSelector('.light-channel[data-channel="0"] .light-value[data-power-percent="80"]', { timeout: 10_000 });
  });

  it('previews a plan made with the form with the figures of scope plan, then runs it from the form', async () => {
    await page.check('.plan-channel[data-preset="FITC"] .plan-channel-on');
    await page.fill('.plan-channel[data-preset="FITC"] .plan-channel-exposure', '15');
    await page.selectOption('#plan-z-mode', 'range');
    await page.fill('#plan-z-range', '2');
    await page.fill('#plan-z-step', '1');
    await page.fill('#plan-interval', '0');
    await page.fill('#plan-loops', '2');
    await page.selectOption('#plan-position-mode', 'grid');
    await page.fill('#plan-grid-rows', '2');
    await page.fill('#plan-grid-columns', '1');
    await page.fill('#plan-name', 'from-the-form');
    const plan = JSON.parse(await page.inputValue('#plan')) as Record<string, unknown>;
    expect(plan).toEqual({
      metadata: { name: 'from-the-form' },
      channels: [
        { config: 'Cy5', exposure: 20 },
        { config: 'FITC', exposure: 15 },
      ],
      z_plan: { range: 2, step: 1 },
      time_plan: { interval: 0, loops: 2 },
      grid_plan: { rows: 2, columns: 1 },
    });
    await page.waitForFunction(
      () => document.querySelector('#plan-figures [data-figure="totalFrames"]')?.getAttribute('data-value') === '24',
    );
    const figure = (name: string) => page.getAttribute(`#plan-figures [data-figure="${name}"]`, 'data-value');
    const planFile = join(suite.directory, 'form-plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    const cli = await runScope([
      'plan',
      planFile,
      '--width',
      `${CAMERA_PX}`,
      '--height',
      `${CAMERA_PX}`,
      '--bytes-per-pixel',
      '2',
      '--pixel-size',
      '1',
      '--out',
      suite.directory,
    ]);
    expect(cli.stderr).toBe('');
    const printed = JSON.parse(cli.stdout) as { totalFrames: number; estimatedDurationS: number; estimatedBytes: number; fits: boolean };
    expect({
      totalFrames: Number(await figure('totalFrames')),
      estimatedDurationS: Number(await figure('estimatedDurationS')),
      estimatedBytes: Number(await figure('estimatedBytes')),
      fits: (await figure('fits')) === 'true',
    }).toEqual({
      totalFrames: printed.totalFrames,
      estimatedDurationS: printed.estimatedDurationS,
      estimatedBytes: printed.estimatedBytes,
      fits: printed.fits,
    });
    await page.screenshot({ path: join(ARTIFACTS, 'plan-form.png'), fullPage: true });

    const datasetsBefore = Number(await page.getAttribute('#datasets', 'data-count'));
    await page.click('#acquisition-start');
    await page.waitForSelector('#acquisition-status[data-state="finished"]', { timeout: 30_000 });
    expect(await page.textContent('#acquisition-status')).toMatch(/24\/24 frames · 24 written/);
    await page.waitForFunction((n) => Number(document.querySelector('#datasets')?.getAttribute('data-count')) === n + 1, datasetsBefore, {
      timeout: 10_000,
    });
    expect(await page.textContent('#datasets')).toMatch(/from-the-form.*ome-tiff \(2 files\)/);
  }, 60_000);

  it('pauses, resumes and cancels a run, with its ETA while it runs', async () => {
    await page.selectOption('#plan-z-mode', 'none');
    await page.selectOption('#plan-position-mode', 'current');
    await page.uncheck('.plan-channel[data-preset="FITC"] .plan-channel-on');
    await page.fill('#plan-interval', '0.2');
    await page.fill('#plan-loops', '100');
    await page.click('#acquisition-start');
    await page.waitForFunction(() => /^ETA \d/.test(document.querySelector('#acquisition-eta')?.textContent ?? ''), undefined, {
      timeout: 15_000,
    });
    await page.click('#acquisition-pause');
    await page.waitForSelector('#acquisition-status[data-state="paused"]', { timeout: 10_000 });
    await page.click('#acquisition-resume');
    await page.waitForSelector('#acquisition-status[data-state="running"]', { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'run.png'), fullPage: true });
    await page.click('#acquisition-cancel');
    await page.waitForSelector('#acquisition-status[data-state="cancelled"]', { timeout: 10_000 });
    // jobs run in-process by default (no Redis configured): the table is there, empty
    expect(await page.textContent('#jobs')).toMatch(/chunks done.*no jobs yet$/);
    // a job submitted elsewhere (REST) appears and completes by the jobs stream alone; its row opens its chunks
    await writeBlinkingMovie(join(suite.directory, 'movie.ome.tif'), 16, 8);
    const submitted = await fetch(`${running.url}/api/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'storm', dataset: 'movie.ome.tif', chunkSize: 4 }),
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    await page.waitForSelector(`#jobs tr[data-job="${id}"][data-state="completed"]`, { timeout: 30_000 });
    await page.click(`#jobs tr[data-job="${id}"]`);
    await page.waitForSelector(`#job-chunks[data-job="${id}"]:not([hidden])`, { timeout: 5000 });
    const chunks = await page.$$eval('#job-chunks tr[data-state]', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    expect(chunks).toEqual([
      ['0', '0–3', 'completed', expect.stringMatching(/\S/), '0 (0 failed, 0 stalled)', '–'],
      ['1', '4–7', 'completed', expect.stringMatching(/\S/), '0 (0 failed, 0 stalled)', '–'],
    ]);
    expect(chunks[0][3]).not.toBe('–');
    await page.screenshot({ path: join(ARTIFACTS, 'jobs.png'), fullPage: true });
  });

  it('stops live, snaps one frame for every viewer, and goes live again', async () => {
    await page.waitForSelector('#live-state[data-mode="live"]', { timeout: 10_000 });
    await page.click('#live-toggle');
    await page.waitForSelector('#live-state[data-mode="stopped"]', { timeout: 10_000 });
    const stopped = await rawFrame(page);
    await page.waitForTimeout(600);
    // at 10 frames a second, 600 ms of live would have brought about six
    expect((await rawFrame(page)).sequence).toBe(stopped.sequence);
    await page.click('#snap');
    await page.waitForSelector('#live[data-acquisition-id="snap"]', { timeout: 10_000 });
    expect(await page.textContent('#live-toggle')).toBe('live: off');
    await page.click('#live-toggle');
    await page.waitForFunction(() => /^live-/.test(document.querySelector('#live')?.getAttribute('data-acquisition-id') ?? ''), undefined, {
      timeout: 10_000,
    });
  });

  it('gives a viewer every control disabled and says why', async () => {
    const viewer = await suite.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await viewer.goto(`${running.url}/#token=${VIEWER_TOKEN}`);
      await viewer.waitForSelector('#connection[data-state="connected"]', { timeout: 20_000 });
      await viewer.waitForSelector('.light-channel .light-power', { timeout: 10_000 });
      for (const control of [
        '#jog-up',
        '#goto-button',
        '#focus-up',
        '#exposure-set',
        '#channel-preset',
        '#snap',
        '#live-toggle',
        '.light-power',
        '#acquisition-start',
        '#acquisition-cancel',
        '#agent-on',
      ]) {
        expect([control, await viewer.$eval(control, (e: HTMLButtonElement) => ({ disabled: e.disabled, title: e.title }))]).toEqual([
          control,
          { disabled: true, title: VIEWER_REASON },
        ]);
      }
      expect(await viewer.isEnabled('#plan-preview-button')).toBe(true);
      // the server refuses what the page disables
      const snap = await fetch(`${running.url}/api/camera/snap`, { method: 'POST', headers: { authorization: `Bearer ${VIEWER_TOKEN}` } });
      expect(snap.status).toBe(403);
      await viewer.screenshot({ path: join(ARTIFACTS, 'viewer.png'), fullPage: true });
    } finally {
      await viewer.close();
    }
  });

  it('stacks the panels on a phone-sized screen with nothing wider than it', async () => {
    const phone = await suite.browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    try {
      await phone.goto(`${running.url}/#token=${OPERATOR_TOKEN}`);
      await phone.waitForSelector('#connection[data-state="connected"]', { timeout: 20_000 });
      await phone.waitForFunction(() => Number(document.querySelector('#live')?.getAttribute('data-sequence') ?? -1) >= 0, undefined, {
        timeout: 20_000,
      });
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // what sticks out of the page; a wide table may scroll inside its own box
      const wider = await phone.$$eval('main *', (all) =>
        all
          .filter((e) => e.getBoundingClientRect().right > 390.5)
          .filter((e) => {
            for (let up = e.parentElement; up; up = up.parentElement)
              if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return false;
            return true;
          })
          .map((e) => e.id || e.className || e.tagName),
      );
      expect(wider).toEqual([]);
      const devices = (await (await phone.$('#devices-section'))!.boundingBox())!;
      const live = (await (await phone.$('#live-section'))!.boundingBox())!;
      expect(live.y).toBeGreaterThanOrEqual(devices.y + devices.height);
      await phone.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
