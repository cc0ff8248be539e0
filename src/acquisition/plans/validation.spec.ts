import { iterateEvents, parsePlan, PlanSyntaxError, PlanValidationError, toUseqEventJson, validatePlan } from '.';

function issuesOf(plan: unknown): string[] {
  try {
    validatePlan(plan);
  } catch (error) {
    if (error instanceof PlanValidationError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('plan was accepted');
}

const eventsOf = (plan: unknown) => [...iterateEvents(validatePlan(plan))].map(toUseqEventJson);

describe('plan validation names the field at fault', () => {
  it.each([
    ['a negative z step', { z_plan: { range: 2, step: -1 } }, 'z_plan.step: must be >= 0'],
    ['a zero exposure', { channels: [{ config: 'DAPI', exposure: 0 }] }, 'channels[0].exposure: must be > 0'],
    [
      'a sub-sequence z plan without a step',
      { stage_positions: [{}, { sequence: { z_plan: { range: 2 } } }] },
      'stage_positions[1].sequence.z_plan.step: is required',
    ],
    ['zero time loops', { time_plan: { interval: 1, loops: 0 } }, 'time_plan.loops: must be > 0'],
    ['a grid with no rows', { grid_plan: { rows: 0, columns: 2 } }, 'grid_plan.rows: must be >= 1'],
    ['an unknown axis', { axis_order: ['t', 'x'] }, 'axis_order: can only name axes t, p, g, c, z; got x'],
    ['a repeated axis', { axis_order: 'tpgcc' }, 'axis_order: names axis c twice'],
    ['a channel without config', { channels: [{ exposure: 10 }] }, 'channels[0].config: is required'],
    ['acquire_every of zero', { channels: [{ config: 'DAPI', acquire_every: 0 }] }, 'channels[0].acquire_every: must be > 0'],
    ['a number written as text for a duration', { time_plan: { interval: '1.5', loops: 2 } }, 'time_plan.interval:'],
    ['a list of channels given as one string', { channels: 'DAPI' }, 'channels: must be a list of channels'],
    [
      'z before p when a position has its own z plan',
      { axis_order: 'tzpgc', z_plan: { range: 2, step: 1 }, stage_positions: [{ sequence: { z_plan: { range: 1, step: 1 } } }] },
      'axis_order: z cannot come before p when a position has its own z_plan',
    ],
    [
      'absolute z with autofocus',
      { z_plan: { top: 10, bottom: 0, step: 1 }, autofocus_plan: { axes: ['p'] } },
      'autofocus_plan: absolute z positions cannot be used with an autofocus plan',
    ],
    [
      'a sub-sequence with its own stage positions',
      { stage_positions: [{ sequence: { stage_positions: [{ x: 1 }] } }] },
      "stage_positions[0].sequence.stage_positions: a position's sub-sequence cannot have stage positions of its own",
    ],
    [
      'keep_shutter_open_across inside a position',
      { stage_positions: [{ sequence: { channels: ['DAPI'], keep_shutter_open_across: ['z'] } }] },
      "stage_positions[0].sequence.keep_shutter_open_across: cannot be set on a position's sub-sequence",
    ],
    ['autofocus without axes', { autofocus_plan: { autofocus_device_name: 'Z' } }, 'autofocus_plan.axes:'],
  ])('rejects %s', (_what, plan, issue) => {
    const issues = issuesOf(plan);
    expect(issues.some((text) => text.startsWith(issue))).toBe(true);
  });

  it('reports every problem of a plan at once, in the error message too', () => {
    const plan = { channels: [{ config: 'DAPI', exposure: -5 }], z_plan: { range: 2, step: -1 }, grid_plan: { rows: 2, columns: 0 } };
    expect(issuesOf(plan)).toEqual(
      expect.arrayContaining(['channels[0].exposure: must be > 0', 'z_plan.step: must be >= 0', 'grid_plan.columns: must be >= 1']),
    );
    expect(() => validatePlan(plan)).toThrow(/z_plan\.step: must be >= 0/);
  });

  it('tells an incomplete time plan apart from a wrong one', () => {
    expect(issuesOf({ time_plan: { interval: 1 } })[0]).toMatch(/^time_plan: is not a complete time plan/);
  });

  it('refuses text that is not JSON or YAML with a syntax error', () => {
    expect(() => parsePlan('{"channels": [', 'json')).toThrow(PlanSyntaxError);
    expect(() => parsePlan('channels: [DAPI', 'yaml')).toThrow(PlanSyntaxError);
  });
});

describe('plan shorthands useq accepts', () => {
  it('reads channels given by name as channels of the "Channel" group', () => {
    expect(eventsOf({ channels: ['DAPI'] })[0].channel).toEqual({ config: 'DAPI', group: 'Channel' });
  });

  it('reads positions given as [x, y, z] lists', () => {
    const [event] = eventsOf({ stage_positions: [[1, 2, 3]] });
    expect([event.x_pos, event.y_pos, event.z_pos]).toEqual([1, 2, 3]);
  });

  it.each([
    ['seconds', 1.5],
    ['Python timedelta text', '0:00:01.500000'],
    ['a timedelta mapping', { seconds: 1, milliseconds: 500 }],
    ['ISO 8601', 'PT1.5S'],
  ])('reads a time interval given as %s', (_form, interval) => {
    expect(eventsOf({ time_plan: { interval, loops: 3 } }).map((e) => e.min_start_time)).toEqual([0, 1.5, 3]);
  });

  it('reads a list of time plans as phases and an axis order as a string', () => {
    const events = eventsOf({
      axis_order: 'tc',
      channels: ['A'],
      time_plan: [
        { interval: 1, loops: 2 },
        { interval: 2, loops: 2 },
      ],
    });
    expect(events.map((e) => e.min_start_time)).toEqual([0, 1, 3]);
  });

  it('reads numbers written as text and booleans written as words, as pydantic does', () => {
    const sequence = validatePlan({ channels: [{ config: 'DAPI', exposure: '12.5', do_stack: 'no', acquire_every: '2' }] });
    expect(sequence.channels[0]).toMatchObject({ exposureMs: 12.5, doStack: false, acquireEvery: 2 });
  });

  it('treats an empty z plan or time plan as none and ignores unknown fields', () => {
    const sequence = validatePlan({ z_plan: {}, time_plan: null, channels: ['A'], colour: 'red' });
    expect(sequence.zPlan).toBeNull();
    expect(sequence.timePlan).toBeNull();
  });

  it('gives validated plans back deep-frozen', () => {
    const sequence = validatePlan({ channels: ['A'], stage_positions: [{ x: 1, sequence: { z_plan: { range: 1, step: 1 } } }] });
    expect(Object.isFrozen(sequence)).toBe(true);
    expect(Object.isFrozen(sequence.channels[0])).toBe(true);
    expect(Object.isFrozen(sequence.stagePositions[0].sequence?.zPlan)).toBe(true);
  });
});
