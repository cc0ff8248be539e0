import { iterateEvents, summarizePlan, validatePlan, type MDAEvent } from '.';

function take(events: Iterator<MDAEvent>, count: number): MDAEvent[] {
  const taken: MDAEvent[] = [];
  while (taken.length < count) {
    const step = events.next();
    if (step.done) break;
    taken.push(step.value);
  }
  return taken;
}

describe('lazy expansion', () => {
  const tenMillion = validatePlan({
    channels: [{ config: 'GFP', exposure: 5 }],
    time_plan: { interval: 1, loops: 100_000 },
    z_plan: { range: 9.9, step: 0.1 },
  });

  it('yields the first events of a 10,000,000-event plan without expanding the rest', () => {
    const events = iterateEvents(tenMillion);
    const first = take(events, 5);
    expect(first.map((e) => e.index)).toEqual([0, 1, 2, 3, 4].map((z) => ({ t: 0, c: 0, z })));
    expect(first[0]).toMatchObject({ minStartTimeS: 0, resetEventTimer: true, exposureMs: 5 });
    expect(first[1].zPosUm).toBeCloseTo(-4.85, 9);
    // The generator is still open, positioned right after the events taken.
    expect(events.next().value?.index).toEqual({ t: 0, c: 0, z: 5 });
    events.return(undefined);
    expect(events.next().done).toBe(true);
  });

  it('summarises the 10,000,000-event plan from its axes', () => {
    const summary = summarizePlan(tenMillion, { cameraWidthPx: 2048, cameraHeightPx: 2048, bytesPerPixel: 2, format: 'raw' });
    expect(summary.axisSizes).toEqual({ t: 100_000, p: 0, g: 0, c: 1, z: 100 });
    expect(summary.totalFrames).toBe(10_000_000);
    expect(summary.estimatedBytes).toBe(10_000_000 * 2048 * 2048 * 2);
    // useq's estimate: 100 planes × 5 ms = 0.5 s a time point, under the 1 s interval.
    expect(summary.estimatedDurationS).toBeCloseTo(99_999 * 1 + 0.5, 6);
  });

  it('starts a plan far too large to ever list (2·10^12 events) and counts it', () => {
    const huge = validatePlan({
      channels: ['A', 'B'],
      stage_positions: Array.from({ length: 100 }, (_, i) => ({ x: i, y: 0 })),
      grid_plan: { rows: 10, columns: 10 },
      time_plan: { interval: 0, loops: 1_000_000 },
      z_plan: { range: 99, step: 1 },
    });
    const first = take(iterateEvents(huge), 3);
    expect(first.map((e) => e.index)).toEqual([0, 1, 2].map((z) => ({ t: 0, p: 0, g: 0, c: 0, z })));
    expect(summarizePlan(huge).totalFrames).toBe(2_000_000_000_000);
  });

  it('expands the events of a later time point from the index alone', () => {
    const events = iterateEvents(validatePlan({ time_plan: { interval: 0.1, loops: 100_000 } }));
    let last: MDAEvent | undefined;
    for (const event of events) last = event;
    expect(last?.index).toEqual({ t: 99_999 });
    expect(last?.minStartTimeS).toBe(9999.9);
  });
});
