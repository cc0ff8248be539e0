import { lightSafetyLimitsSchema } from '../../../hardware/safety';
import { CalibrationRefusedError } from './calibration-errors';
import { gridAround, planCalibration } from './calibration-plan';
import { calibrationRequestSchema } from './calibration-request';

const limits = lightSafetyLimitsSchema.parse({ maxPowerPercent: [50, 80], maxExposureMs: 200, maxDosePerWindow: { windowS: 60, percentSeconds: 5 } });
const request = (extra: Record<string, unknown> = {}) =>
  calibrationRequestSchema.parse({ lowPercent: 5, highPercent: 40, exposureMs: 20, doseBudgetPercentSeconds: 4, ...extra });
const context = { channel: 0, current: { xUm: 100, yUm: -50 }, fieldUm: 64 };

describe('calibration plan', () => {
  it('lays out a near-square grid one field apart, centred on the stage', () => {
    expect(gridAround({ xUm: 100, yUm: -50 }, 4, 64)).toEqual([
      { xUm: 68, yUm: -82 },
      { xUm: 132, yUm: -82 },
      { xUm: 68, yUm: -18 },
      { xUm: 132, yUm: -18 },
    ]);
    expect(gridAround({ xUm: 0, yUm: 0 }, 5, 10)).toHaveLength(5);
  });

  it('plans the given positions and the dose of each pair', () => {
    const plan = planCalibration(request({ positions: [{ xUm: 1, yUm: 2 }] }), limits, context);
    expect(plan.positions).toEqual([{ xUm: 1, yUm: 2 }]);
    expect(plan.pairDosePercentSeconds).toBeCloseTo(0.9, 9);
  });

  it("holds the high level to the channel's own maximum", () => {
    expect(() => planCalibration(request({ highPercent: 60 }), limits, context)).toThrow(
      "highPercent: 60 % is above the light envelope's maximum of 50 % for channel 0 (safety.light.maxPowerPercent)",
    );
    expect(planCalibration(request({ highPercent: 60, channel: 1, count: 1 }), limits, context).channel).toBe(1);
  });

  it('refuses an exposure beyond the envelope, a budget too small and more light than the envelope allows per window', () => {
    expect(() => planCalibration(request({ exposureMs: 300 }), limits, context)).toThrow(/^exposureMs: 300 ms is above .* 200 ms \(safety\.light\.maxExposureMs\)$/);
    expect(() => planCalibration(request({ doseBudgetPercentSeconds: 3 }), limits, context)).toThrow(
      'doseBudgetPercentSeconds: 3 %·s cannot cover 4 pairs at 5 % and 40 % for 20 ms: they need 3.6 %·s',
    );
    const many = () => planCalibration(request({ count: 8, doseBudgetPercentSeconds: 100 }), limits, context);
    expect(many).toThrow(CalibrationRefusedError);
    expect(many).toThrow('8 pairs need 7.2 %·s, more than the light envelope allows in 60 s (safety.light.maxDosePerWindow.percentSeconds: 5)');
  });
});
