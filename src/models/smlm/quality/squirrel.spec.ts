import { BlinkingMovie } from '../../../../simulators/sample/blinking';
import { SmlmInputError } from '../localisation';
import { renderLocalisations } from '../render/render-localisations';
import { squirrel, widefieldMean } from './squirrel';

describe('SQUIRREL error mapping', () => {
  const side = 24;
  const movie = new BlinkingMovie({ seed: 21, widthPx: side, heightPx: side, densityPerUm2: 1.5, structures: [{ kind: 'filaments', count: 4 }] });
  const frames = movie.take(120);
  const reference = widefieldMean(frames.map((f) => f.pixels), side * side);
  const grid = { widthPx: side, heightPx: side, pixelSizeNm: 100 };
  const truthLocs = frames.flatMap((f) => f.emitters.map((e) => ({ frame: f.frame, xNm: e.xNm, yNm: e.yNm, photons: e.photons, sigmaNm: 0, uncertaintyNm: 15 })));
  const faithful = renderLocalisations(truthLocs, grid, { upsampling: 8, mode: 'gaussian' });

  it('scores a faithful reconstruction high, with the PSF width as resolution-scaling function', () => {
    const q = squirrel(reference, side, side, faithful, 8);
    expect(q.rsp).toBeGreaterThan(0.95);
    expect(q.rseRelative).toBeLessThan(0.08);
    expect(q.rsfSigmaPx * 100).toBeGreaterThan(0.6 * movie.psfSigmaNm);
    expect(q.rsfSigmaPx * 100).toBeLessThan(1.6 * movie.psfSigmaNm);
    expect(q.errorMap.length).toBe(side * side);
  });

  it('flags a deliberately corrupted reconstruction, and where it was corrupted', () => {
    const corrupted = Float32Array.from(faithful);
    const srSide = side * 8;
    const half = srSide / 2;
    // Erase the structure of the quarter that holds the most of it.
    const mass = [0, 0, 0, 0];
    for (let y = 0; y < srSide; y++) for (let x = 0; x < srSide; x++) mass[(y < half ? 0 : 2) + (x < half ? 0 : 1)] += faithful[y * srSide + x];
    const quarter = mass.indexOf(Math.max(...mass));
    const qx = quarter % 2;
    const qy = Math.floor(quarter / 2);
    for (let y = qy * half; y < (qy + 1) * half; y++) for (let x = qx * half; x < (qx + 1) * half; x++) corrupted[y * srSide + x] = 0;
    const good = squirrel(reference, side, side, faithful, 8);
    const bad = squirrel(reference, side, side, corrupted, 8);
    expect(bad.rsp).toBeLessThan(good.rsp - 0.1);
    expect(bad.rse).toBeGreaterThan(1.5 * good.rse);
    let inside = 0;
    let outside = 0;
    let nIn = 0;
    let nOut = 0;
    for (let y = 2; y < side - 2; y++) {
      for (let x = 2; x < side - 2; x++) {
        const e = bad.errorMap[y * side + x];
        // Camera pixels well inside or well outside the erased quarter (its edges are blurred by the PSF).
        const cx = qx === 0 ? side / 2 - 1 - x : x - side / 2;
        const cy = qy === 0 ? side / 2 - 1 - y : y - side / 2;
        if (cx >= 1 && cy >= 1) { inside += e; nIn++; } else if (cx <= -2 || cy <= -2) { outside += e; nOut++; }
      }
    }
    expect(inside / nIn).toBeGreaterThan(2 * (outside / nOut));
  });

  it('names mismatched sizes', () => {
    expect(() => squirrel(reference, side, side, new Float32Array(10), 8)).toThrow(SmlmInputError);
    expect(() => squirrel(new Float32Array(5), side, side, faithful, 8)).toThrow(/reference holds 5 pixels/);
  });
});
