import { DEFAULT_MITOSIS_EVENTS, MitosisEvents } from './mitosis-events';
import type { MitosisSpot } from './mitosis-detector';

const options = { ...DEFAULT_MITOSIS_EVENTS, onRatio: 2, offRatio: 1.3, offFrames: 2, refractoryS: 1800, radiusPx: 16 };
const at = (xPx: number, yPx: number, ratio: number): MitosisSpot => ({ xPx, yPx, ratio });

describe('mitosis events: one mitosis, one event', () => {
  it('turns a mitosis seen in five frames into one event, where and when it started', () => {
    const events = new MitosisEvents(options);
    const started = [2.4, 2.8, 2.2, 2.6, 2.1].map((ratio, k) => events.update(k * 60, [at(40 + k, 60, ratio)]).started);
    expect(started.map((s) => s.length)).toEqual([1, 0, 0, 0, 0]);
    expect(started[0][0]).toMatchObject({ xPx: 40, yPx: 60, startS: 0 });
  });

  it('ends an event after offFrames quiet frames, and starts none there within the refractory time', () => {
    const events = new MitosisEvents(options);
    expect(events.update(0, [at(40, 60, 2.5)]).active).toBe(1);
    expect(events.update(60, [at(40, 60, 1.4)]).active).toBe(1);
    expect(events.update(120, []).active).toBe(1);
    expect(events.update(180, []).active).toBe(0);
    // the daughters of the same division, still inside the refractory time
    expect(events.update(1200, [at(50, 66, 3)]).started).toHaveLength(0);
    // long after, the same place may divide again
    expect(events.update(1900, [at(50, 66, 3)]).started).toHaveLength(1);
  });

  it('tells two mitoses apart by where they are, and ignores spots below the upper threshold', () => {
    const events = new MitosisEvents(options);
    const first = events.update(0, [at(40, 60, 2.5), at(100, 20, 2.2), at(70, 90, 1.9)]);
    expect(first.started.map((e) => [e.xPx, e.yPx])).toEqual([
      [40, 60],
      [100, 20],
    ]);
    expect(first.active).toBe(2);
  });

  it('with confirmFrames 2, starts only where the frame before already showed a spot', () => {
    const events = new MitosisEvents({ ...options, confirmFrames: 2 });
    expect(events.update(0, [at(40, 60, 2.5)]).started).toHaveLength(0);
    expect(events.update(60, [at(42, 60, 2.5)]).started).toHaveLength(1);
    expect(events.update(120, [at(100, 100, 2.5)]).started).toHaveLength(0);
  });
});
