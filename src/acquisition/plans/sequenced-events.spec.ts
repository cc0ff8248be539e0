import { iterateEvents, sequenceEvents, validatePlan, type SequencingOptions } from './index';

const sequenced = (plan: unknown, options?: SequencingOptions) => [
  ...sequenceEvents(iterateEvents(validatePlan(plan, 'test plan')), options),
];

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
    const events = sequenced({ time_plan: { interval: 0, loops: 25 } }, { maxBurst: 10 });
    expect(events.map((e) => [e.index.t, e.burstCount])).toEqual([
      [0, 10],
      [10, 10],
      [20, 5],
    ]);
  });

  it('merges a z-stack into one burst when the focus stage takes sequences, listing each frame', () => {
    const plan = { z_plan: { range: 2, step: 1 }, channels: [{ config: 'DAPI', exposure: 5 }] };
    expect(sequenced(plan).map((e) => e.burstCount ?? 1)).toEqual([1, 1, 1]);
    const [stack, ...rest] = sequenced(plan, { zSequenceMaxLength: 2000 });
    expect(rest).toHaveLength(0);
    expect(stack.burstCount).toBe(3);
    expect(stack.sequencedFrames).toEqual([
      { index: { c: 0, z: 0 }, zPosUm: -1 },
      { index: { c: 0, z: 1 }, zPosUm: 0 },
      { index: { c: 0, z: 2 }, zPosUm: 1 },
    ]);
  });

  it("runs time and z together in one burst when nothing waits, splitting at the stage's limit", () => {
    const plan = { time_plan: { interval: 0, loops: 4 }, z_plan: { range: 2, step: 1 } };
    const events = sequenced(plan, { zSequenceMaxLength: 6 });
    expect(events.map((e) => [e.index.t, e.index.z, e.burstCount])).toEqual([
      [0, 0, 6],
      [2, 0, 6],
    ]);
    expect(events[1].sequencedFrames!.map((f) => [f.index.t, f.index.z, f.zPosUm])).toEqual([
      [2, 0, -1],
      [2, 1, 0],
      [2, 2, 1],
      [3, 0, -1],
      [3, 1, 0],
      [3, 2, 1],
    ]);
  });

  it('keeps z-stacks apart across a wait, a channel change or a stage move', () => {
    const waits = sequenced({ time_plan: { interval: 1, loops: 2 }, z_plan: { range: 2, step: 1 } }, { zSequenceMaxLength: 100 });
    expect(waits.map((e) => [e.index.t, e.burstCount])).toEqual([
      [0, 3],
      [1, 3],
    ]);
    const channels = sequenced({ z_plan: { range: 1, step: 1 }, channels: ['DAPI', 'FITC'] }, { zSequenceMaxLength: 100 });
    expect(channels.map((e) => [e.channel?.config, e.burstCount])).toEqual([
      ['DAPI', 2],
      ['FITC', 2],
    ]);
    const channelsInside = sequenced(
      { axis_order: 'zc', z_plan: { range: 1, step: 1 }, channels: ['DAPI', 'FITC'] },
      { zSequenceMaxLength: 100 },
    );
    expect(channelsInside.every((e) => (e.burstCount ?? 1) === 1)).toBe(true);
    const positions = sequenced(
      {
        z_plan: { range: 1, step: 1 },
        stage_positions: [
          { x: 0, y: 0, z: 10 },
          { x: 50, y: 0, z: 20 },
        ],
      },
      { zSequenceMaxLength: 100 },
    );
    expect(positions.map((e) => [e.xPosUm, e.sequencedFrames?.map((f) => f.zPosUm)])).toEqual([
      [0, [9.5, 10.5]],
      [50, [19.5, 20.5]],
    ]);
  });
});
