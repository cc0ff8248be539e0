import { countFrames, iterateEvents, summarizePlan, validatePlan } from '.';

const acquireEvents = (plan: ReturnType<typeof validatePlan>) =>
  [...iterateEvents(plan)].filter((e) => e.action.type === 'acquire_image').length;

describe('plan summary', () => {
  const plan = validatePlan({
    axis_order: 'tpgcz',
    stage_positions: [
      { x: 0, y: 0, z: 0 },
      {
        x: 500,
        y: 0,
        z: 3,
        sequence: { grid_plan: { rows: 2, columns: 2, fov_width: 100, fov_height: 100 }, z_plan: { range: 4, step: 1 } },
      },
    ],
    channels: [
      { config: 'DAPI', exposure: 10 },
      { config: 'FITC', exposure: 20, acquire_every: 2 },
      { config: 'BF', do_stack: false },
    ],
    time_plan: { interval: 2, loops: 5 },
    z_plan: { range: 2, step: 1 },
    autofocus_plan: { axes: ['p'] },
  });

  it('counts frames without expanding, as many as the expansion yields', () => {
    expect(countFrames(plan)).toBe(acquireEvents(plan));
    expect(summarizePlan(plan).totalFrames).toBe(acquireEvents(plan));
  });

  it('gives the axis sizes of the top-level plan in its axis order', () => {
    expect(summarizePlan(plan).axisSizes).toEqual({ t: 5, p: 2, g: 0, c: 3, z: 3 });
  });

  it('estimates bytes on disk from the camera, per format', () => {
    const frames = summarizePlan(plan).totalFrames;
    const camera = { cameraWidthPx: 1024, cameraHeightPx: 512, bytesPerPixel: 2 };
    const raw = summarizePlan(plan, { ...camera, format: 'raw' });
    expect(raw.bytesPerFrame).toBe(1024 * 512 * 2);
    expect(raw.estimatedBytes).toBe(frames * 1024 * 512 * 2);
    const tiff = summarizePlan(plan, { ...camera, format: 'ome-tiff' });
    expect(tiff.estimatedBytes).toBeGreaterThan(raw.estimatedBytes ?? 0);
    expect(summarizePlan(plan).estimatedBytes).toBeUndefined();
  });

  it('estimates duration as useq does: exposures only, the longer of interval and acquisition', () => {
    // Position 0: 3 planes × (10 + 20) ms + 1 ms (BF, no exposure, outside the stack) = 91 ms.
    // Position 1 (its own 5 planes × 4 tiles): 20 × 30 ms + 4 × 1 ms = 604 ms.
    const { duration } = summarizePlan(plan);
    expect(duration?.perTimepointS).toBeCloseTo(0.091 + 0.604, 9);
    expect(duration?.totalDurationS).toBeCloseTo(4 * 2 + 0.091 + 4 * 2 + 0.604, 9);
    expect(duration?.timeIntervalExceeded).toBe(false);
  });
});
