import { estimateDuration, FieldOfViewRequiredError, fovFromCamera, iterateEvents, summarizePlan, validatePlan } from '.';

const xyOf = (plan: unknown, fov = {}) => [...iterateEvents(validatePlan(plan), fov)].map((e) => [e.xPosUm, e.yPosUm]);

describe('field of view for grid plans', () => {
  it('takes the field of view from the camera when the plan gives none', () => {
    const fov = fovFromCamera(512, 256, 0.5);
    expect(fov).toEqual({ fovWidthUm: 256, fovHeightUm: 128 });
    const plan = { stage_positions: [[1000, 2000]], grid_plan: { rows: 2, columns: 2, mode: 'row_wise' } };
    expect(xyOf(plan, fov)).toEqual([
      [872, 2064],
      [1128, 2064],
      [872, 1936],
      [1128, 1936],
    ]);
  });

  it("keeps the plan's own field of view over the camera's", () => {
    const plan = { grid_plan: { rows: 1, columns: 2, fov_width: 10, fov_height: 10, relative_to: 'top_left' } };
    expect(xyOf(plan, { fovWidthUm: 256, fovHeightUm: 128 })).toEqual([
      [0, 0],
      [10, 0],
    ]);
  });

  it('tiles an area from its edges with the camera field of view, and counts the tiles for the estimate', () => {
    const plan = validatePlan({ grid_plan: { top: 100, left: 0, bottom: 0, right: 150 }, channels: [{ config: 'A', exposure: 10 }] });
    expect(() => estimateDuration(plan)).toThrow(FieldOfViewRequiredError);
    expect(summarizePlan(plan).estimatedDurationS).toBeNull();
    const fov = { fovWidthUm: 60, fovHeightUm: 40 };
    // 3 columns (60 + 2·60 >= 150) × 3 rows (40 + 2·40 >= 100), snaking.
    expect(xyOf({ grid_plan: { top: 100, left: 0, bottom: 0, right: 150 } }, fov)).toEqual([
      [30, 80],
      [90, 80],
      [150, 80],
      [150, 40],
      [90, 40],
      [30, 40],
      [30, 0],
      [90, 0],
      [150, 0],
    ]);
    expect(estimateDuration(plan, fov).totalDurationS).toBeCloseTo(0.09, 12);
    expect(summarizePlan(plan, { cameraWidthPx: 120, cameraHeightPx: 80, pixelSizeUm: 0.5 }).totalFrames).toBe(9);
  });

  it('visits a spiral from the centre outwards', () => {
    const plan = { grid_plan: { rows: 3, columns: 3, mode: 'spiral', fov_width: 1, fov_height: 1 } };
    expect(xyOf(plan)).toEqual([
      [0, 0],
      [1, 0],
      [1, -1],
      [0, -1],
      [-1, -1],
      [-1, 0],
      [-1, 1],
      [0, 1],
      [1, 1],
    ]);
  });

  it("reproduces useq's seeded random points (numpy's generator, 2-opt order)", () => {
    const plan = {
      stage_positions: [[100, 200, 0]],
      grid_plan: { num_points: 6, max_width: 400, max_height: 300, random_seed: 12345, shape: 'ellipse' },
    };
    // Computed by useq-schema 867e9a1 with numpy 2.4 for this plan.
    const useq = [
      [174.99645613268882, 243.4242306292175],
      [99.49458716698037, 215.2248748107485],
      [66.24133455724848, 151.892905170269],
      [98.67480625039242, 102.02574741992825],
      [226.86998350168392, 173.00049570414308],
      [191.16882298289144, 112.59589167974038],
    ];
    const ours = xyOf(plan);
    expect(ours).toHaveLength(6);
    ours.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(useq[i][0], 9);
      expect(y).toBeCloseTo(useq[i][1], 9);
    });
  });
});
