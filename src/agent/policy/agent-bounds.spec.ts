import { ConfigError } from '../../config/load-config';
import { loadConfig } from '../../scope-config';
import { agentParamsSchema } from './agent-params';
import { boundSetting, boundsFrom, intervalRangeS } from './agent-bounds';

function problemsOf(agentParams: Record<string, unknown>, safety?: Record<string, unknown>): readonly string[] {
  try {
    loadConfig({ overrides: { agent: { params: agentParams }, ...(safety ? { safety: { light: safety } } : {}) } });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("the user's bounds on the agent", () => {
  it('refuses out-of-range bounds at load with a config error naming the field', () => {
    expect(problemsOf({ intervalStretchMax: 0.5 })).toEqual([
      expect.stringMatching(/^agent\.params\.intervalStretchMax: must be at least 1 \(1 = never slower than the plan/),
    ]);
    expect(problemsOf({ intervalStretchMax: 'lots' })).toEqual([expect.stringMatching(/^agent\.params\.intervalStretchMax: /)]);
    expect(problemsOf({ intervalStretchMax: 1e6 })).toEqual([
      expect.stringMatching(/^agent\.params\.intervalStretchMax: must be at most 1000/),
    ]);
    expect(problemsOf({ maxExposureMs: 0 })[0]).toMatch(/^agent\.params\.maxExposureMs: /);
    expect(problemsOf({ maxExposureMs: 6000 })).toEqual([
      'agent.params.maxExposureMs: must not exceed safety.light.maxExposureMs (6000 > 5000)',
    ]);
    expect(problemsOf({ maxExposureMs: 200 }, { maxExposureMs: 100 })).toEqual([
      'agent.params.maxExposureMs: must not exceed safety.light.maxExposureMs (200 > 100)',
    ]);
    expect(problemsOf({ maxExposureMs: 50 })).toEqual(['agent.params.exposureMs: must not exceed maxExposureMs (100 > 50)']);
    expect(problemsOf({ maxExposureMs: 50, exposureMs: 20, intervalStretchMax: 3 })).toEqual([]);
    expect(loadConfig().agent.params).toMatchObject({ intervalStretchMax: 1 });
  });

  it('allows faster than planned only down to the event interval, slower only up to intervalStretchMax × planned', () => {
    const bounds = boundsFrom(agentParamsSchema.parse({ intervalStretchMax: 3, eventIntervalS: 60 }), 5000);
    expect(intervalRangeS(180, bounds)).toEqual({ minS: 60, maxS: 540 });
    expect(intervalRangeS(0.5, bounds)).toEqual({ minS: 0.5, maxS: 1.5 });
    const planned = { intervalS: 0.5, exposureMs: 20 };
    const at = (intervalS: number) => boundSetting({ intervalS, exposureMs: 20, illuminationPercent: 5 }, planned, bounds);
    expect(at(0.1).applied.intervalS).toBe(0.5);
    expect(at(0.1).clamps).toEqual([{ field: 'intervalS', bound: 'agent.params.eventIntervalS', proposed: 0.1, applied: 0.5, limit: 60 }]);
    expect(at(1.2)).toEqual({ applied: { intervalS: 1.2, exposureMs: 20, illuminationPercent: 5 }, clamps: [] });
    expect(at(9).clamps).toEqual([{ field: 'intervalS', bound: 'agent.params.intervalStretchMax', proposed: 9, applied: 1.5, limit: 3 }]);
  });

  it('falls back to the plan, or to no light, on a proposal that is not a finite number', () => {
    const bounds = boundsFrom(agentParamsSchema.parse({ maxIlluminationPercent: 40, maxExposureMs: 300 }), 5000);
    const planned = { intervalS: 2, exposureMs: 50 };
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      const { applied, clamps } = boundSetting({ intervalS: bad, exposureMs: bad, illuminationPercent: bad }, planned, bounds);
      expect(applied).toEqual({ intervalS: 2, exposureMs: 50, illuminationPercent: 0 });
      expect(clamps.map((c) => [c.field, c.bound])).toEqual([
        ['intervalS', 'not a finite number'],
        ['exposureMs', 'not a finite number'],
        ['illuminationPercent', 'not a finite number'],
      ]);
    }
    const over = boundSetting({ intervalS: 2, exposureMs: 301, illuminationPercent: 41 }, planned, bounds);
    expect(over.applied).toEqual({ intervalS: 2, exposureMs: 300, illuminationPercent: 40 });
    expect(over.clamps.map((c) => c.bound)).toEqual(['agent.params.maxExposureMs', 'agent.params.maxIlluminationPercent']);
    // no planned interval (a single time point): nothing to stretch
    expect(
      boundSetting({ intervalS: 99, exposureMs: 50, illuminationPercent: 5 }, { intervalS: null, exposureMs: 50 }, bounds).applied
        .intervalS,
    ).toBeNull();
  });
});
