import type { Frame } from '../src/acquisition/frame';
import { childrenNamed, parseXml, type XmlElement } from '../src/acquisition/storage/ome-xml/parse-xml';
import { plannedEvents } from '../scripts/phototox-dish-engine';
import { EventDrivenRule } from '../bench/support/agent-event-rule';
import { goalVerdict, paretoFront, type PolicySummary } from '../bench/support/agent-goal';
import { detectorScore, longestFastRun, mitosesImagedFast, mitosisWindows, spreadOf, type Spread } from '../bench/support/agent-metrics';
import { evaluationSvg } from '../bench/support/agent-plot';

const at = (mean: number, sd = 0): Spread => ({ mean, sd, min: mean - sd, max: mean + sd, n: 5 });

describe("the agent bench's metrics, on a hand-built timeline", () => {
  // A splits at 2200 s; B and C have not split by the end (7200 s); D starts after the end
  const windows = mitosisWindows(
    [
      { cellId: 1, startS: 1000, endS: 2200 },
      { cellId: 2, startS: 3000, endS: 4200 },
      { cellId: 3, startS: 5000 },
      { cellId: 4, startS: 7000 },
      { cellId: 5, startS: 7300 },
    ],
    7200,
    1200,
  );

  it('spans each true mitosis from its start to its split, or to start + duration cut at the end', () => {
    expect(windows).toEqual([
      { startS: 1000, endS: 2200, completed: true },
      { startS: 3000, endS: 4200, completed: true },
      { startS: 5000, endS: 6200, completed: false },
      { startS: 7000, endS: 7200, completed: false },
    ]);
  });

  it('counts a mitosis as imaged at the fast rate only with ≥ 2 frames inside its window ≤ fastGapS apart', () => {
    const frames = [960, 1080, 1200, 1260, 1320, 2400, 2950, 3010, 3130, 5040, 5160, 7080, 7140];
    // A: 1200, 1260, 1320 at 60 s; B: 2950→3010 is fast but 2950 is before its start, 3010→3130 is slow;
    // the third: 5040→5160 slow; the fourth: 7080→7140 fast
    expect(mitosesImagedFast(windows, frames, 90)).toBe(2);
    expect(mitosesImagedFast(windows, frames, 90, 3)).toBe(1);
    // a gap of exactly fastGapS still counts, a slow frame breaks the run
    expect(longestFastRun([0, 90, 181, 240, 300], 90)).toBe(3);
    expect(longestFastRun([500], 90)).toBe(1);
    expect(longestFastRun([], 90)).toBe(0);
  });

  it("scores a detector's fires against the windows: mitoses caught, fires outside every mitosis", () => {
    expect(detectorScore(windows, [1100, 1160, 3500, 4500, 7100])).toEqual({ detected: 3, falseFires: 1 });
    expect(detectorScore(windows, [])).toEqual({ detected: 0, falseFires: 0 });
  });

  it('spreads a metric over the seeds that have it: mean, sample sd, min, max', () => {
    expect(spreadOf([1, 2, 3, Number.NaN])).toEqual({ mean: 2, sd: 1, min: 1, max: 3, n: 3 });
    expect(spreadOf([4])).toEqual({ mean: 4, sd: 0, min: 4, max: 4, n: 1 });
    expect(spreadOf([Number.NaN]).n).toBe(0);
  });
});

describe('the event-driven rule (Mahecic et al. 2022)', () => {
  /** 64 × 64 frames: a flat field with one 8 × 8 spot, brighter than before where a cell rounds up. */
  function frame(spot: number): Frame {
    const pixels = new Uint16Array(64 * 64).fill(100);
    for (let y = 20; y < 28; y++) for (let x = 20; x < 28; x++) pixels[y * 64 + x] = spot;
    const meta = {
      acquisitionId: 'rule',
      sequence: 0,
      index: {},
      width: 64,
      height: 64,
      bitDepth: 12,
      pixelSizeUm: 1,
      exposureMs: 100,
      illumination: { source: 'lamp', channel: 0, powerPercent: 6 },
      stage: {},
      camera: 'test',
      wallTimeMs: 0,
    };
    return { pixels, meta };
  }

  function run(fireOn: 'detection' | 'event', brightAtS: readonly number[]): { fired: number[]; taken: number[] } {
    const clock = { nowMs: 0 };
    const rule = new EventDrivenRule({
      illuminationPercent: 6,
      exposureMs: 100,
      slowIntervalS: 120,
      fastIntervalS: 60,
      windowS: 180,
      fireOn,
      now: () => clock.nowMs,
    });
    const taken: number[] = [];
    for (const event of plannedEvents(60, 600)) {
      const steered = rule.beforeEvent(event);
      if (steered === null) continue;
      expect(steered).toMatchObject({ illuminationPercent: 6, exposureMs: 100 });
      clock.nowMs = steered.minStartTimeS! * 1000;
      taken.push(steered.minStartTimeS!);
      // the spot gains light fivefold (a division) at the given times, compared with an earlier, dim frame
      rule.afterEvent(steered, [frame(brightAtS.includes(steered.minStartTimeS!) ? 600 : 200)]);
    }
    return { fired: rule.fireTimesS, taken };
  }

  it('images at the slow rate, at the fast rate for its window after the detector fires, then slow again', () => {
    expect(run('detection', [240])).toEqual({ fired: [240], taken: [0, 120, 240, 300, 360, 420, 540] });
  });

  it('fires on every detection, or once per mitosis event when it follows the agent hysteresis', () => {
    expect(run('detection', [240, 420]).fired).toEqual([240, 420]);
    expect(run('event', [240, 420]).fired).toEqual([240]);
  });
});

describe("the agent bench's goal check", () => {
  const summary = (policy: string, dose: number, cells: Spread, fast: Spread, ssimEvents: Spread): PolicySummary => ({
    policy,
    metrics: { dose: at(dose, 1), cellsAlive: cells, mitosesImagedFast: fast, ssimEvents },
  });
  const agent = summary('agent', 50, at(20, 1), at(6, 1), at(0.9, 0.01));
  const low = summary('fixed-low', 36, at(20, 1), at(0, 0), at(0.905, 0.01));
  const high = summary('fixed-high', 366, at(4, 2), at(0, 0), at(0.99, 0.001));
  const dominated = summary('fixed-low-care', 36, at(20, 1), at(0, 0), at(0.89, 0.01));

  it('finds the Pareto front of lower dose, more cells alive, more mitoses imaged fast, higher SSIM during events', () => {
    expect(paretoFront([high, low, dominated, agent])).toEqual(['fixed-high', 'fixed-low', 'agent']);
  });

  it('meets the goal against a policy it beats beyond the noise on one metric and ties within noise on the rest', () => {
    const verdict = goalVerdict(agent, low);
    expect(verdict.meets).toBe(true);
    expect(verdict.comparisons.map((c) => [c.metric, c.outcome])).toEqual([
      ['cellsAlive', 'within noise'],
      ['mitosesImagedFast', 'better'],
      ['ssimEvents', 'within noise'],
    ]);
    expect(verdict.line).toMatch(/^agent vs fixed-low: MEETS — better on mitosesImagedFast/);
  });

  it('misses against a policy it is worse than beyond the noise, and says by how much', () => {
    const verdict = goalVerdict(agent, high);
    expect(verdict.meets).toBe(false);
    expect(verdict.comparisons.find((c) => c.metric === 'ssimEvents')).toMatchObject({ outcome: 'worse' });
    expect(verdict.line).toMatch(/MISSES — worse on ssimEvents by 0\.09 /);
    // equal on everything: better on none
    expect(goalVerdict(agent, { ...agent, policy: 'twin' }).line).toMatch(/MISSES — better on none/);
  });
});

describe("the agent bench's plot", () => {
  it('is well-formed SVG with one labelled point per policy, also for a policy without event frames', () => {
    const labels = ['fixed-high', 'fixed-low', 'fixed-low-care', 'event-driven', 'agent & co'];
    const svg = evaluationSvg(
      labels.map((label, i) => ({
        label,
        dose: at(36 + 30 * i, 2),
        ssimEvents: i === 0 ? at(Number.NaN) : at(0.85 + 0.02 * i, 0.01),
        cellsAlive: at(4 + 4 * i, 1),
        onFront: i > 2,
      })),
    );
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(svg).not.toMatch(/&(?!(lt|gt|amp|quot|apos);)/);
    const points = childrenNamed(root, 'g').filter((g) => g.attributes.class === 'policy');
    expect(points.map((g) => g.attributes['data-policy'])).toEqual(labels);
    for (const point of points) {
      expect(childrenNamed(point, 'circle').length).toBeGreaterThanOrEqual(1);
      expect(childrenNamed(point, 'text')[0].text).toContain(point.attributes['data-policy']);
    }
    const numbers = (g: XmlElement) => childrenNamed(g, 'circle').flatMap((c) => [c.attributes.cx, c.attributes.cy, c.attributes.r]);
    expect(points.flatMap(numbers).every((v) => Number.isFinite(Number(v)))).toBe(true);
  });
});
