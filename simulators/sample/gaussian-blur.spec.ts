import { gaussianBlur } from './gaussian-blur';

const side = 161;

function blurredPoint(sigmaPx: number, xPx: number, yPx: number): Float32Array {
  const image = new Float32Array(side * side);
  image[yPx * side + xPx] = 1;
  return gaussianBlur(image, side, side, sigmaPx);
}

function secondMoments(image: Float32Array) {
  let total = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < image.length; i++) {
    total += image[i];
    cx += image[i] * (i % side);
    cy += image[i] * Math.floor(i / side);
  }
  cx /= total;
  cy /= total;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < image.length; i++) {
    vx += image[i] * ((i % side) - cx) ** 2;
    vy += image[i] * (Math.floor(i / side) - cy) ** 2;
  }
  return { total, cx, cy, sigmaX: Math.sqrt(vx / total), sigmaY: Math.sqrt(vy / total) };
}

describe('Gaussian blur', () => {
  // Up to 2 px the kernel is applied directly; wider blurs go through a reduced copy.
  it.each([0.5, 1, 1.7, 2, 2.3, 3.5, 6, 12])('spreads a point to a width of %p px without moving it or losing light', (sigmaPx) => {
    for (const [x, y] of [
      [80, 80],
      [81, 78],
      [83, 85],
    ]) {
      const m = secondMoments(blurredPoint(sigmaPx, x, y));
      expect(m.total).toBeCloseTo(1, 4);
      expect(Math.abs(m.cx - x)).toBeLessThan(0.01);
      expect(Math.abs(m.cy - y)).toBeLessThan(0.01);
      // Below 0.7 px the sampled Gaussian is narrower than the continuous one; the limit covers that.
      const tolerance = sigmaPx < 0.7 ? 0.1 : 0.04;
      expect(Math.abs(m.sigmaX - sigmaPx)).toBeLessThan(tolerance * sigmaPx);
      expect(Math.abs(m.sigmaY - sigmaPx)).toBeLessThan(tolerance * sigmaPx);
    }
  });

  it('leaves an even image even, up to its clamped edges', () => {
    const flat = new Float32Array(40 * 30).fill(3);
    for (const sigmaPx of [0.1, 1.2, 5]) {
      const out = gaussianBlur(flat, 40, 30, sigmaPx);
      expect(out.every((v) => Math.abs(v - 3) < 1e-4)).toBe(true);
    }
  });
});
