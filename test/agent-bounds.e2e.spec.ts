import { readFile } from 'node:fs/promises';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { decisionLogPath } from '../src/agent/decision-log';
import type { DecisionRecord } from '../src/agent/policy/agent-decision';
import { connected, socketFor, waitFor } from './support/gateway-clients';
import { simulatedAppPerSuite, type SuiteApp } from './support/start-app';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(url: string, method: 'GET' | 'POST', body?: unknown): Promise<Reply> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const INTERVAL_S = 0.5;
const LOOPS = 12;
const PLAN = { time_plan: { interval: INTERVAL_S, loops: LOOPS }, channels: [{ config: 'DAPI', exposure: 5 }] };
// a zero risk threshold: every predicted risk counts as damage, so the agent asks to slow down at every decision
const AGENT = { enabled: true, params: { riskThreshold: 0, startIlluminationPercent: 5, maxIlluminationPercent: 40 } };

/** Runs the plan over HTTP, watching the decisions stream on socket.io; answers the run, its event starts and what was streamed. */
async function runWatched(running: SuiteApp) {
  const streamed: DecisionRecord[] = [];
  const socket = socketFor(running.url);
  socket.on('records', (message: { stream: string; records: DecisionRecord[] }, ack?: () => void) => {
    if (message.stream === 'agent-decisions') streamed.push(...message.records);
    ack?.();
  });
  try {
    await connected(socket);
    const started = await call(`${running.url}/api/acquisitions`, 'POST', PLAN);
    expect(started.status).toBe(201);
    const acquisitionId = String(started.body.acquisitionId);
    const status = await running.app.get(AcquisitionService).finished(acquisitionId);
    expect(status.state).toBe('finished');
    const planes = (await readOmeTiff(status.datasetPath)).planes.filter((plane) => !plane.blank);
    const startsMs = planes.map((plane) => Number(plane.record?.meta?.eventStartWallTimeMs));
    const startsS = startsMs.map((ms) => (ms - startsMs[0]) / 1000);
    // the agent decides at its own pace: its last decision may land just after the run
    const log = decisionLogPath(status.datasetPath);
    const readLog = async () =>
      (await readFile(log, 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as DecisionRecord);
    // until the log stops growing: the agent may still be deciding from the run's last frame
    let lines = -1;
    await waitFor(
      async () => {
        const now = (await readLog()).length;
        const settled = now > 0 && now === lines;
        lines = now;
        return settled ? true : undefined;
      },
      10_000,
      'the decision log to settle',
    );
    await waitFor(
      () => (streamed.filter((r) => r.acquisitionId === acquisitionId).length > 0 ? true : undefined),
      5000,
      'streamed decisions',
    );
    return { acquisitionId, status, startsS, logged: await readLog(), streamed: streamed.filter((r) => r.acquisitionId === acquisitionId) };
  } finally {
    socket.close();
  }
}

async function allPages(url: string, acquisitionId: string, limit: number): Promise<DecisionRecord[]> {
  const records: DecisionRecord[] = [];
  let cursor = '0';
  for (let page = 0; page < 100; page++) {
    const reply = await call(`${url}/api/agent/decisions?acquisitionId=${acquisitionId}&cursor=${cursor}&limit=${limit}`, 'GET');
    expect(reply.status).toBe(200);
    expect(reply.body.cursor).toBe(cursor);
    records.push(...(reply.body.decisions as DecisionRecord[]));
    cursor = String(reply.body.nextCursor);
    if (!reply.body.hasMore) return records;
  }
  throw new Error('decisions did not end within 100 pages');
}

describe('the agent bounded by the user: intervalStretchMax 1 (default)', () => {
  const running = simulatedAppPerSuite('scope-agent-bounds-', { simulation: { cameraWidthPx: 64, cameraHeightPx: 48 }, agent: AGENT });

  it('keeps a 0.5 s plan on its planned timing while asking to slow down, and records every decision with its reasons', async () => {
    const preview = await call(`${running.url}/api/plans/preview?events=0`, 'POST', PLAN);
    expect(preview.status).toBe(200);
    const plannedS = (LOOPS - 1) * INTERVAL_S + 0.005;
    expect(preview.body.agent).toMatchObject({ enabled: true, intervalStretchMax: 1, durationS: { planned: plannedS, max: plannedS } });
    expect(String((preview.body.agent as { note: string }).note)).toMatch(
      /keeps the planned intervals \(agent\.params\.intervalStretchMax 1\)/,
    );

    const t0 = Date.now();
    const { acquisitionId, startsS, logged, streamed } = await runWatched(running);
    const plannedStarts = startsS.map((_, i) => i * INTERVAL_S);
    const plannedSpanS = (LOOPS - 1) * INTERVAL_S;
    const worstS = Math.max(...startsS.map((s, i) => Math.abs(s - plannedStarts[i])));
    process.stdout.write(
      `agent on, stretch 1: ${LOOPS} events at ${INTERVAL_S} s, last start ${startsS[LOOPS - 1].toFixed(3)} s (planned ${plannedSpanS} s), ` +
        `worst start off by ${(worstS * 1000).toFixed(0)} ms, ${logged.length} decisions, run + checks ${Date.now() - t0} ms\n`,
    );
    expect(startsS).toHaveLength(LOOPS);
    // within 5 % of the planned timing: the whole span, and every event's start against its planned start
    expect(Math.abs(startsS[LOOPS - 1] - plannedSpanS)).toBeLessThanOrEqual(0.05 * plannedSpanS);
    expect(worstS).toBeLessThanOrEqual(0.05 * plannedSpanS);

    // the decisions, beside the data set as they were made: inputs, mode, settings before and after, the bound that held
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(logged.map((r) => r.sequence)).toEqual(logged.map((_, i) => i));
    for (const record of logged) {
      expect(record.acquisitionId).toBe(acquisitionId);
      expect(record.inputs).toEqual(
        expect.objectContaining({
          snr: expect.any(Number),
          doseSoFarPercentSeconds: expect.any(Number),
          doseBudgetPercentSeconds: expect.any(Number),
        }),
      );
      expect(record.inputs.predictedRisk === null || typeof record.inputs.predictedRisk === 'number').toBe(true);
      expect(['normal', 'event', 'fallback']).toContain(record.decision.mode);
      expect(record.settings.planned).toEqual({ intervalS: INTERVAL_S, exposureMs: 5 });
      expect(record.settings.bounds.intervalS).toEqual({ min: INTERVAL_S, max: INTERVAL_S });
      expect(record.settings.after.intervalS).toBe(INTERVAL_S);
      expect(record.settings.after.exposureMs).toBe(5);
      expect(record.settings.before).toEqual(
        expect.objectContaining({ intervalS: expect.any(Number), illuminationPercent: expect.any(Number) }),
      );
    }
    const held = logged.filter((r) => r.settings.clamps.some((c) => c.bound === 'agent.params.intervalStretchMax'));
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(held[0].settings.proposed.intervalS).toBeGreaterThan(INTERVAL_S);
    expect(held[0].reason).toMatch(/bounds: intervalS .* → 0\.5 s \(agent\.params\.intervalStretchMax 1× the planned interval\)/);

    // the same decisions streamed to the dashboard, and paged back by the API with a stable cursor
    for (const record of streamed) expect(record).toEqual(logged[record.sequence]);
    expect(await allPages(running.url, acquisitionId, 2)).toEqual(logged);
    const latest = await call(`${running.url}/api/agent/decisions?limit=100000`, 'GET');
    expect(latest.body).toMatchObject({ acquisitionId, limit: 500, total: logged.length, hasMore: false, cursor: '0' });
    const again = await call(`${running.url}/api/agent/decisions?acquisitionId=${acquisitionId}&cursor=1&limit=1`, 'GET');
    expect(again.body.decisions).toEqual([logged[1]]);
    expect(again.body.nextCursor).toBe('2');
  }, 90_000);

  it.each([
    ['limit=abc', /^limit: must be an integer from 1 to 500/],
    ['limit=0', /^limit: must be an integer from 1 to 500/],
    ['cursor=-1', /^cursor: must be a non-negative integer/],
    ['cursor=1.5', /^cursor: must be a non-negative integer/],
    ['cursor=999999', /^cursor: 999999 is beyond the run's last decision/],
    ['limit=1&limit=2', /^limit: must be given once/],
    ['page=2', /^page: unknown query field/],
  ])('answers 400 naming the field for ?%s', async (query, message) => {
    const reply = await call(`${running.url}/api/agent/decisions?${query}`, 'GET');
    expect(reply.status).toBe(400);
    expect(String(reply.body.message)).toMatch(message);
  });

  it('answers 404 naming acquisitionId for a run it does not know', async () => {
    const reply = await call(`${running.url}/api/agent/decisions?acquisitionId=not-a-run`, 'GET');
    expect(reply.status).toBe(404);
    expect(String(reply.body.message)).toMatch(/^acquisitionId: no acquisition not-a-run/);
  });
});

describe('the agent bounded by the user: intervalStretchMax 3', () => {
  const running = simulatedAppPerSuite('scope-agent-stretch-', {
    simulation: { cameraWidthPx: 64, cameraHeightPx: 48 },
    agent: { ...AGENT, params: { ...AGENT.params, intervalStretchMax: 3 } },
  });

  it('says in the preview that intervals may stretch up to 3×, and no interval of the run exceeds 3× planned', async () => {
    const preview = await call(`${running.url}/api/plans/preview?events=0`, 'POST', PLAN);
    const plannedS = (LOOPS - 1) * INTERVAL_S + 0.005;
    const agent = preview.body.agent as { durationS: { planned: number; min: number; max: number }; note: string };
    expect(agent).toMatchObject({ enabled: true, intervalStretchMax: 3 });
    expect(agent.durationS.planned).toBeCloseTo(plannedS, 6);
    expect(agent.durationS.min).toBeCloseTo(plannedS, 6);
    expect(agent.durationS.max).toBeCloseTo((LOOPS - 1) * INTERVAL_S * 3 + 0.005, 6);
    expect(agent.note).toMatch(/may stretch intervals up to 3× the planned interval/);
    expect(agent.note).toMatch(/takes 5\.5 s to 16\.5 s \(planned 5\.5 s\)/);

    const { startsS, logged } = await runWatched(running);
    const intervalsS = startsS.slice(1).map((s, i) => s - startsS[i]);
    process.stdout.write(`agent on, stretch 3: intervals ${intervalsS.map((s) => s.toFixed(2)).join(' ')} s\n`);
    // it did stretch (it asks to at every decision), and never beyond 3 × 0.5 s (5 % for the runner's own latency)
    expect(Math.max(...intervalsS)).toBeGreaterThan(INTERVAL_S * 1.2);
    expect(Math.max(...intervalsS)).toBeLessThanOrEqual(3 * INTERVAL_S * 1.05);
    expect(logged.every((r) => (r.settings.after.intervalS ?? 0) <= 3 * INTERVAL_S)).toBe(true);
    expect(logged.every((r) => r.settings.bounds.intervalS?.max === 3 * INTERVAL_S)).toBe(true);
  }, 90_000);
});
