import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MDAEvent } from '../acquisition/plans';
import { AcquisitionRun, type EventHooks } from '../acquisition/runner/runner';
import { SafeLightSource, type ClampEvent } from '../hardware/safety';
import { loadPhototoxPredictor, type DoseEvent, type FieldRisk, type ObservedFrame } from '../models/phototox';
import { DishLamp, PhotodamageDish } from '../../simulators/sample/photodamage';
import { DishEngine, plannedEvents } from '../../scripts/phototox-dish-engine';
import { saveDecisionsBeside } from './decision-log';
import { IlluminationAgent, type RiskPredictor } from './illumination-agent';
import type { DecisionRecord } from './policy/agent-decision';

const ADVERSARIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -1e308, 1e308, 101, 1e6, 0];
const MAX_PERCENT = 40;
const EVERY_MINUTE = { baseIntervalS: 60, maxIntervalS: 60, eventIntervalS: 60 };

function xorshift(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const risk = (value: number): FieldRisk => ({ meanRisk: value, maxRisk: value, tiles: 1 });

/** A simulated experiment through the real runner, the real envelope and the agent; simulated time jumps ahead. */
async function experiment(
  agent: IlluminationAgent,
  options: {
    seed?: number;
    durationS?: number;
    everyEvent?: (agent: IlluminationAgent, t: number) => void;
    intervalS?: number;
    exposureMs?: number;
    maxExposureMs?: number;
    wavelengthNm?: number;
  } = {},
) {
  const clock = { nowMs: 0 };
  const dish = new PhotodamageDish({ seed: options.seed ?? 1 });
  const lamp = new DishLamp(options.wavelengthNm ?? 488, 100);
  const clamps: ClampEvent[] = [];
  const light = new SafeLightSource(
    lamp,
    { maxPowerPercent: MAX_PERCENT, maxExposureMs: options.maxExposureMs ?? 300, fallbackPowerPercent: 2 },
    { now: () => clock.nowMs, logger: { warn: () => undefined } },
  );
  light.clamps$.subscribe((c) => clamps.push(c));
  const engine = new DishEngine(dish, lamp, light, clock);
  const durationS = options.durationS ?? 1800;
  const sent: Array<number | undefined> = [];
  const starts: number[] = [];
  const exposures: Array<number | undefined> = [];
  const frameExposures: number[] = [];
  const timeWarp: EventHooks<MDAEvent> = {
    beforeEvent: (e) => {
      if ((e.minStartTimeS ?? 0) > durationS) return null;
      sent.push((e as MDAEvent & { illuminationPercent?: number }).illuminationPercent);
      starts.push(e.minStartTimeS ?? 0);
      exposures.push(e.exposureMs);
      clock.nowMs = Math.max(clock.nowMs, (e.minStartTimeS ?? 0) * 1000);
      return e;
    },
    afterEvent: (_e, frames) => void frameExposures.push(...frames.map((f) => f.meta.exposureMs)),
  };
  const steer: EventHooks<MDAEvent> = { beforeEvent: (e) => (options.everyEvent?.(agent, e.index.t ?? 0), e) };
  const run = new AcquisitionRun<MDAEvent>({
    events: plannedEvents(options.intervalS ?? 60, durationS).map((e) =>
      options.exposureMs === undefined ? e : { ...e, exposureMs: options.exposureMs },
    ),
    engine,
    hooks: [steer, agent, timeWarp],
    clock: () => clock.nowMs,
  });
  const progress = await run.start();
  light.dispose();
  return { progress, lamp, clamps, sent, starts, exposures, frameExposures, frames: engine.frames.length };
}

describe('the illumination agent', () => {
  it('keeps the light inside the envelope whatever the predictor and the override say (random, extreme, NaN, ±Infinity, negative)', async () => {
    const next = xorshift(99);
    const hostile: RiskPredictor = { fieldRisk: () => risk(next() < 0.5 ? ADVERSARIAL[Math.floor(next() * ADVERSARIAL.length)] : next()) };
    const agent = new IlluminationAgent({
      predictor: hostile,
      params: { maxIlluminationPercent: 100, experimentDurationS: 1800 },
      now: () => 0,
    });
    const decisions: DecisionRecord[] = [];
    agent.decisions$.subscribe((d) => decisions.push(d));
    const { progress, lamp, clamps, sent } = await experiment(agent, {
      everyEvent: (a) =>
        a.setOverride(next() < 0.7 ? ADVERSARIAL[Math.floor(next() * ADVERSARIAL.length)] : next() < 0.5 ? null : next() * 300),
    });
    expect(progress.state).toBe('finished');
    expect(sent.some((p) => p === undefined || !Number.isFinite(p) || p > MAX_PERCENT || p < 0)).toBe(true);
    for (const state of lamp.history) {
      expect(Number.isFinite(state.powerPercent)).toBe(true);
      expect(state.powerPercent).toBeGreaterThanOrEqual(0);
      expect(state.powerPercent).toBeLessThanOrEqual(MAX_PERCENT);
    }
    expect(clamps.some((c) => c.reason === 'invalid-value')).toBe(true);
    expect(clamps.some((c) => c.reason === 'max-power')).toBe(true);
    // The agent's own decisions are always finite and inside its limits, also with a hostile predictor.
    for (const d of decisions.filter((r) => r.decision.mode !== 'override')) {
      expect(Number.isFinite(d.decision.illuminationPercent)).toBe(true);
      expect(d.decision.illuminationPercent).toBeGreaterThanOrEqual(0);
      expect(d.decision.illuminationPercent).toBeLessThanOrEqual(100);
      expect(d.decision.intervalS).toBeGreaterThan(0);
    }
    expect(decisions.some((d) => /predictor failed/.test(d.reason))).toBe(true);
  });

  it.each([
    [
      'throws',
      (): FieldRisk => {
        throw new Error('model crashed');
      },
    ],
    ['returns NaN', () => risk(Number.NaN)],
    ['returns Infinity', () => risk(Number.POSITIVE_INFINITY)],
    ['times out', () => new Promise<FieldRisk>((resolve) => setTimeout(() => resolve(risk(0)), 300))],
  ])('chooses less light, never more, when the predictor %s', async (_what, fieldRisk) => {
    let failing = false;
    const predictor: RiskPredictor = { fieldRisk: () => (failing ? fieldRisk() : risk(0.05)) };
    const agent = new IlluminationAgent({
      predictor,
      params: { ...EVERY_MINUTE, predictorTimeoutMs: 50, startIlluminationPercent: 5, targetSnr: 1000, doseBudgetPercentSeconds: 1e6 },
      now: () => 0,
    });
    const decisions: DecisionRecord[] = [];
    agent.decisions$.subscribe((d) => decisions.push(d));
    // A high SNR target makes the healthy agent ask for more light each cycle; the failing one must not.
    await experiment(agent, { durationS: 600, everyEvent: (_a, t) => (failing = t >= 4) });
    const healthy = decisions.filter((d) => d.inputs.predictedRisk !== null);
    const failed = decisions.filter((d) => d.inputs.predictedRisk === null);
    expect(healthy.length).toBeGreaterThan(1);
    expect(failed.length).toBeGreaterThan(1);
    expect(healthy[healthy.length - 1].decision.illuminationPercent).toBeGreaterThan(healthy[0].decision.illuminationPercent);
    let before = healthy[healthy.length - 1].decision.illuminationPercent;
    for (const d of failed) {
      expect(d.decision.mode).toBe('fallback');
      expect(d.decision.illuminationPercent).toBeLessThanOrEqual(before);
      expect(d.reason).toMatch(/predictor failed/);
      before = d.decision.illuminationPercent;
    }
  });

  it("gives the predictor the light's wavelength from the frames, so violet light reads as riskier than red", async () => {
    const model = loadPhototoxPredictor();
    const seen = async (wavelengthNm: number) => {
      const risks: number[] = [];
      const wavelengths = new Set<number | undefined>();
      const predictor: RiskPredictor = {
        fieldRisk: (frames: readonly ObservedFrame[], doses: readonly DoseEvent[]) => {
          for (const d of doses) wavelengths.add(d.wavelengthNm);
          const r = model.fieldRisk(frames, doses);
          risks.push(r.meanRisk);
          return r;
        },
      };
      await experiment(new IlluminationAgent({ predictor, params: EVERY_MINUTE, now: () => 0 }), { durationS: 300, wavelengthNm });
      return { risks, wavelengths: [...wavelengths] };
    };
    const violet = await seen(405);
    const red = await seen(640);
    expect(violet.wavelengths).toEqual([405]);
    expect(red.wavelengths).toEqual([640]);
    // the first decision sees the very same frame and light, but for its colour
    expect(violet.risks[0]).toBeGreaterThan(red.risks[0]);
  });

  it('lets the manual override win over every decision, and passes events unchanged when switched off', async () => {
    const agent = new IlluminationAgent({ predictor: { fieldRisk: () => risk(0.9) }, params: EVERY_MINUTE, now: () => 0 });
    const records: DecisionRecord[] = [];
    agent.decisions$.subscribe((d) => records.push(d));
    const { sent } = await experiment(agent, { durationS: 900, everyEvent: (a, t) => a.setOverride(t >= 3 && t < 6 ? 17 : null) });
    expect(sent.slice(3, 6)).toEqual([17, 17, 17]);
    expect(sent.slice(6).every((p) => p !== 17)).toBe(true);
    expect(records.filter((r) => r.decision.mode === 'override').length).toBeGreaterThanOrEqual(3);
    const event: MDAEvent = {
      index: { t: 9 },
      minStartTimeS: 540,
      keepShutterOpen: false,
      resetEventTimer: false,
      action: { type: 'acquire_image' },
    };
    agent.setEnabled(false);
    expect(agent.beforeEvent(event)).toBe(event);
    agent.setEnabled(true);
    expect(agent.beforeEvent(event)).not.toBe(event);
  });

  it('decides the same from the same seed and inputs, and differently from another seed', async () => {
    const runWith = async (seed: number) => {
      const agent = new IlluminationAgent({ params: { seed }, predictor: { fieldRisk: () => risk(0.1) }, now: () => 1_000_000 });
      const records: DecisionRecord[] = [];
      agent.decisions$.subscribe((d) => records.push(d));
      await experiment(agent, { durationS: 1200, seed: 4 });
      return records;
    };
    const first = await runWith(7);
    expect(first.length).toBeGreaterThan(3);
    // the same decisions; only the runs' ids differ
    const withoutRun = (records: DecisionRecord[]) => records.map((r) => ({ ...r, acquisitionId: null }));
    expect(withoutRun(await runWith(7))).toEqual(withoutRun(first));
    const other = await runWith(8);
    expect(other.map((r) => r.decision.illuminationPercent)).not.toEqual(first.map((r) => r.decision.illuminationPercent));
  });

  it('saves every decision as a JSON line beside the data set, with its inputs and reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-log-'));
    try {
      const agent = new IlluminationAgent({ predictor: { fieldRisk: () => risk(0.2) }, now: () => 0 });
      const { path, subscription } = saveDecisionsBeside(join(dir, 'run-1.ome.zarr'), agent.decisions$);
      const { frames } = await experiment(agent, { durationS: 600 });
      subscription.unsubscribe();
      const lines = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as DecisionRecord);
      expect(path).toBe(join(dir, 'run-1.ome.zarr.agent-decisions.jsonl'));
      expect(lines).toHaveLength(frames);
      expect(lines.map((l) => l.sequence)).toEqual(lines.map((_, i) => i));
      for (const l of lines) {
        expect(l).toEqual(expect.objectContaining({ time: expect.any(String), reason: expect.any(String) }));
        expect(l.inputs).toEqual(expect.objectContaining({ predictedRisk: 0.2, doseBudgetPercentSeconds: expect.any(Number) }));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('within the bounds the user sets', () => {
    const SLOW_DOWN = { baseIntervalS: 60, maxIntervalS: 6000, eventIntervalS: 60 };
    const intervalsOf = (starts: number[]) => starts.slice(1).map((s, i) => s - starts[i]);

    it("keeps the plan's start times with intervalStretchMax 1 however much the predictor asks to slow down, and says which bound held it", async () => {
      const agent = new IlluminationAgent({ predictor: { fieldRisk: () => risk(0.9) }, params: SLOW_DOWN, now: () => 0 });
      const records: DecisionRecord[] = [];
      agent.decisions$.subscribe((d) => records.push(d));
      const { starts } = await experiment(agent, { durationS: 900 });
      expect(starts).toEqual(plannedEvents(60, 900).map((e) => e.minStartTimeS));
      const held = records.filter((r) => r.settings.clamps.some((c) => c.field === 'intervalS'));
      expect(held.length).toBeGreaterThan(3);
      for (const r of held) {
        expect(r.settings.clamps).toContainEqual(
          expect.objectContaining({ field: 'intervalS', bound: 'agent.params.intervalStretchMax', applied: 60, limit: 1 }),
        );
        expect(r.settings.proposed.intervalS).toBeGreaterThan(60);
        expect(r.settings.after.intervalS).toBe(60);
        expect(r.reason).toMatch(/bounds: intervalS .* → 60 s \(agent\.params\.intervalStretchMax 1× the planned interval\)/);
      }
      expect(records[records.length - 1].settings.bounds.intervalS).toEqual({ min: 60, max: 60 });
    });

    it('stretches the interval up to intervalStretchMax × planned and never further', async () => {
      const agent = new IlluminationAgent({
        predictor: { fieldRisk: () => risk(0.9) },
        params: { ...SLOW_DOWN, intervalStretchMax: 3 },
        now: () => 0,
      });
      const records: DecisionRecord[] = [];
      agent.decisions$.subscribe((d) => records.push(d));
      const { starts } = await experiment(agent, { durationS: 3600 });
      const intervals = intervalsOf(starts);
      expect(Math.max(...intervals)).toBeGreaterThan(60);
      expect(intervals.every((s) => s >= 60 - 1e-9 && s <= 180 + 1e-9)).toBe(true);
      expect(intervals.filter((s) => Math.abs(s - 180) < 1e-9).length).toBeGreaterThan(3);
      expect(records.some((r) => r.settings.clamps.some((c) => c.bound === 'agent.params.intervalStretchMax' && c.applied === 180))).toBe(
        true,
      );
      expect(records.every((r) => (r.settings.after.intervalS ?? 0) <= 180)).toBe(true);
    });

    it("keeps the plan's exposure, and never goes above maxExposureMs nor the envelope's limit", async () => {
      const planned = await experiment(new IlluminationAgent({ predictor: { fieldRisk: () => risk(0.1) }, now: () => 0 }), {
        durationS: 300,
        exposureMs: 40,
      });
      // the agent's own exposure (100 ms by default) never replaces the plan's
      expect(planned.frameExposures.every((ms) => ms === 40)).toBe(true);

      const agentBound = new IlluminationAgent({ predictor: { fieldRisk: () => risk(0.1) }, params: { maxExposureMs: 120 }, now: () => 0 });
      const records: DecisionRecord[] = [];
      agentBound.decisions$.subscribe((d) => records.push(d));
      const bounded = await experiment(agentBound, { durationS: 300, exposureMs: 250 });
      expect(bounded.exposures.every((ms) => ms === 120)).toBe(true);
      expect(bounded.frameExposures.every((ms) => ms === 120)).toBe(true);
      expect(records[0].settings.clamps).toContainEqual(
        expect.objectContaining({ field: 'exposureMs', bound: 'agent.params.maxExposureMs', proposed: 250, applied: 120 }),
      );

      const envelopeBound = new IlluminationAgent({ predictor: { fieldRisk: () => risk(0.1) }, envelopeMaxExposureMs: 80, now: () => 0 });
      const envelopeRecords: DecisionRecord[] = [];
      envelopeBound.decisions$.subscribe((d) => envelopeRecords.push(d));
      const enveloped = await experiment(envelopeBound, { durationS: 300, exposureMs: 250, maxExposureMs: 80 });
      expect(enveloped.exposures.every((ms) => ms === 80)).toBe(true);
      expect(envelopeRecords[0].settings.clamps).toContainEqual(
        expect.objectContaining({ field: 'exposureMs', bound: 'safety.light.maxExposureMs', applied: 80 }),
      );
      // the envelope still had nothing to clamp: the agent asked for no more than it allows
      expect(enveloped.clamps.filter((c) => c.reason === 'max-exposure')).toEqual([]);
    });
  });
});
