import { iterateEvents, parsePlan, toUseqEventJson } from '.';

// The same plan twice: as JSON and as YAML in the style PyYAML writes for useq's `MDASequence.yaml()`.
const PLAN_JSON = JSON.stringify({
  metadata: { experiment: 'fixed cells' },
  axis_order: ['t', 'p', 'g', 'c', 'z'],
  stage_positions: [
    { x: 10.0, y: 20.0, z: 5.0, name: 'well A1' },
    {
      x: -4.5,
      y: 7.25,
      name: 'well A2',
      sequence: { grid_plan: { rows: 2, columns: 2, fov_width: 80, fov_height: 60 }, z_plan: { above: 1, below: 1, step: 0.5 } },
    },
  ],
  channels: [
    { config: 'DAPI', exposure: 20.0 },
    { config: 'FITC', exposure: 50.0, acquire_every: 2, do_stack: false },
    { config: 'y', group: 'Camera' },
  ],
  time_plan: {
    phases: [
      { interval: 0.5, loops: 3 },
      { interval: 2.0, duration: 6.0 },
    ],
  },
  z_plan: { range: 2.0, step: 1.0, go_up: false },
  autofocus_plan: { autofocus_device_name: 'PFS', autofocus_motor_offset: 12.5, axes: ['p'] },
  keep_shutter_open_across: ['z'],
});

const PLAN_YAML = `
metadata:
  experiment: fixed cells
axis_order:
- t
- p
- g
- c
- z
stage_positions:
- name: well A1
  x: 10.0
  y: 20.0
  z: 5.0
- name: well A2
  sequence:
    grid_plan:
      columns: 2
      fov_height: 60
      fov_width: 80
      rows: 2
    z_plan: {above: 1, below: 1, step: 0.5}
  x: -4.5
  y: 7.25
channels:
- config: DAPI
  exposure: 20.0
- acquire_every: 2
  config: FITC
  do_stack: no
  exposure: 50.0
- config: y
  group: Camera
time_plan:
  phases:
  - interval: '0:00:00.500000'
    loops: 3
  - duration: 0:00:06
    interval: 0:00:02.0
z_plan:
  go_up: false
  range: 2.0
  step: 1.0
autofocus_plan:
  autofocus_device_name: PFS
  autofocus_motor_offset: 12.5
  axes: [p]
keep_shutter_open_across: [z]
`;

describe('reading plans from text', () => {
  it('reads the same plan from YAML and from JSON', () => {
    const fromJson = parsePlan(PLAN_JSON, 'json');
    const fromYaml = parsePlan(PLAN_YAML, 'yaml');
    expect(fromYaml).toEqual(fromJson);
    expect([...iterateEvents(fromYaml)].map(toUseqEventJson)).toEqual([...iterateEvents(fromJson)].map(toUseqEventJson));
  });

  it('guesses the format from the text when no hint is given', () => {
    expect(parsePlan(PLAN_JSON)).toEqual(parsePlan(PLAN_YAML));
  });

  it('reads YAML scalars as PyYAML does: "y" stays a channel name, "0:00:06" is a duration', () => {
    const plan = parsePlan(PLAN_YAML);
    expect(plan.channels[2]).toMatchObject({ config: 'y', group: 'Camera' });
    expect(plan.timePlan).toEqual({
      kind: 'multi_phase',
      prioritizeDuration: false,
      phases: [
        { kind: 'interval_loops', intervalUs: 500_000, loops: 3, prioritizeDuration: false },
        { kind: 'interval_duration', intervalUs: 2_000_000, durationUs: 6_000_000, prioritizeDuration: true },
      ],
    });
  });

  it('reads an empty YAML document as an empty plan with no events', () => {
    expect([...iterateEvents(parsePlan('', 'yaml'))]).toEqual([]);
  });
});
