import { findFocusPeak, NoFocusSamplesError, parabolaVertex } from './peak';
import { normalizedVariance } from './sharpness';
import { scanPositions } from './software-autofocus';
import { FOCUS_PLANE_UM, HALF_DEPTH_OF_FIELD_UM, fieldRenderer } from './test-images';

const parabola = (peakUm: number) => (zUm: number) => ({ zUm, score: 10 - (zUm - peakUm) ** 2 });

describe('finding the focus peak', () => {
  it('puts the vertex of a parabola exactly, with even or uneven spacing', () => {
    const curve = parabola(1.3);
    expect(findFocusPeak([0, 1, 2, 3].map(curve)).zUm).toBeCloseTo(1.3, 12);
    expect(parabolaVertex(curve(0.2), curve(1), curve(3))).toBeCloseTo(1.3, 12);
  });

  it('sorts the samples by z, whatever order they were taken in', () => {
    const peak = findFocusPeak([3, 0, 2, 1, -1].map(parabola(0.8)));
    expect(peak.zUm).toBeCloseTo(0.8, 12);
    expect(peak.index).toBe(2);
  });

  it('flags a peak on the edge of the range and does not extrapolate past it', () => {
    const peak = findFocusPeak([0, 1, 2].map(parabola(5)));
    expect(peak).toMatchObject({ zUm: 2, atEdge: true });
  });

  it('keeps the vertex between the neighbours of a flat-topped curve, and reports no contrast for a flat one', () => {
    expect(parabolaVertex({ zUm: 0, score: 5 }, { zUm: 1, score: 5 }, { zUm: 2, score: 5 })).toBe(1);
    const vertex = parabolaVertex({ zUm: 0, score: 4.999 }, { zUm: 1, score: 5 }, { zUm: 2, score: 5 });
    expect(vertex).toBeGreaterThanOrEqual(1);
    expect(vertex).toBeLessThanOrEqual(2);
    expect(findFocusPeak([0, 1, 2].map((zUm) => ({ zUm, score: 3 }))).contrast).toBe(0);
  });

  it('refuses an empty scan with its own error', () => {
    expect(() => findFocusPeak([])).toThrow(NoFocusSamplesError);
  });

  it('lays out scans as an odd number of steps centred on the start', () => {
    expect(scanPositions(2, 4, 1)).toEqual([0, 1, 2, 3, 4]);
    expect(scanPositions(0, 0.1, 1)).toEqual([-1, 0, 1]);
  });

  it.each([
    ['below', -2.6],
    ['above', 2.2],
  ])('finds the focal plane of simulated frames from a coarse then fine scan started %s it', (_, startOffsetUm) => {
    const render = fieldRenderer();
    const measure = (zs: readonly number[]) => zs.map((zUm) => ({ zUm, score: normalizedVariance(render(zUm)) }));
    const coarse = findFocusPeak(measure(scanPositions(FOCUS_PLANE_UM + startOffsetUm, 10, 1)));
    expect(coarse.atEdge).toBe(false);
    const fine = findFocusPeak(measure(scanPositions(coarse.zUm, 2, 0.25)));
    expect(Math.abs(fine.zUm - FOCUS_PLANE_UM)).toBeLessThanOrEqual(HALF_DEPTH_OF_FIELD_UM);
  });
});
