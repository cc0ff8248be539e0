import { iterateEvents, sequenceEvents, validatePlan } from './index';

const sequenced = (plan: unknown, maxBurst?: number) => [...sequenceEvents(iterateEvents(validatePlan(plan, 'test plan')), maxBurst)];

describe('hardware sequencing of events', () => {
  it('merges a time-lapse without waits into one burst, keeping the first event', () => {
    const events = sequenced({ time_plan: { interval: 0, loops: 50 }, channels: [{ config: 'DAPI', exposure: 5 }] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ index: { t: 0, c: 0 }, burstCount: 50, exposureMs: 5, channel: { config: 'DAPI' } });
  });

  it('never merges across a wait, a channel change, a stage move or an autofocus', () => {
    expect(sequenced({ time_plan: { interval: 1, loops: 5 } })).toHaveLength(5);
    const twoChannels = sequenced({ time_plan: { interval: 0, loops: 3 }, channels: ['DAPI', 'FITC'] });
    expect(twoChannels.map((e) => e.burstCount ?? 1)).toEqual([1, 1, 1, 1, 1, 1]);
    const channelsOutside = sequenced({ axis_order: 'ct', time_plan: { interval: 0, loops: 3 }, channels: ['DAPI', 'FITC'] });
    expect(channelsOutside.map((e) => [e.channel?.config, e.burstCount])).toEqual([
      ['DAPI', 3],
      ['FITC', 3],
    ]);
    const positions = sequenced({
      axis_order: 'pt',
      time_plan: { interval: 0, loops: 4 },
      stage_positions: [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
      ],
    });
    expect(positions.map((e) => [e.xPosUm, e.burstCount])).toEqual([
      [0, 4],
      [100, 4],
    ]);
    const autofocus = sequenced({
      time_plan: { interval: 0, loops: 3 },
      autofocus_plan: { autofocus_device_name: 'Autofocus', autofocus_motor_offset: 0, axes: ['t'] },
    });
    expect(autofocus.every((e) => (e.burstCount ?? 1) === 1)).toBe(true);
  });

  it('splits long bursts at the limit and loses no time point', () => {
    const events = sequenced({ time_plan: { interval: 0, loops: 25 } }, 10);
    expect(events.map((e) => [e.index.t, e.burstCount])).toEqual([
      [0, 10],
      [10, 10],
      [20, 5],
    ]);
  });
});
