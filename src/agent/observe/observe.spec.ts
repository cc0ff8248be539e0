import { PhotodamageDish } from '../../../simulators/sample/photodamage';
import { detectMitosis, type PhotometricFrame } from './mitosis-detector';
import { estimateSnr } from './snr-estimate';

/** The SNR estimate by its plain definition: sorts for the percentiles and the median difference. */
function definitionSnr(pixels: ArrayLike<number>, widthPx: number, heightPx: number): number {
  const n = widthPx * heightPx;
  const sorted = Float32Array.from({ length: n }, (_, i) => pixels[i]).sort();
  const [background, median, bright] = [sorted[Math.floor(n * 0.05)], sorted[Math.floor(n * 0.5)], sorted[Math.floor(n * 0.95)]];
  const differences: number[] = [];
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x + 1 < widthPx; x += 2) {
      const i = y * widthPx + x;
      if (pixels[i] >= median) differences.push(Math.abs(pixels[i + 1] - pixels[i]));
    }
  }
  differences.sort((a, b) => a - b);
  return (bright - background) / Math.max(differences[Math.floor(differences.length / 2)] / 0.6745 / Math.SQRT2, 0.5);
}

/** The mitosis ratio by its plain definition: a sorted background, block means, the dilated earlier frame. */
function definitionRatio(before: PhotometricFrame, now: PhotometricFrame): number {
  const blocks = (f: PhotometricFrame) => {
    const [w, h] = [Math.floor(f.widthPx / 4), Math.floor(f.heightPx / 4)];
    const sorted = Float32Array.from({ length: f.widthPx * f.heightPx }, (_, i) => f.pixels[i]).sort();
    const background = sorted[Math.floor(sorted.length * 0.05)];
    const values = new Float64Array(w * h);
    for (let y = 0; y < h * 4; y++)
      for (let x = 0; x < w * 4; x++)
        values[Math.floor(y / 4) * w + Math.floor(x / 4)] += (f.pixels[y * f.widthPx + x] - background) / (16 * f.doseUnits);
    return { values, w, h };
  };
  const a = blocks(before);
  const b = blocks(now);
  const floor = Float64Array.from(b.values).sort()[Math.floor(b.values.length * 0.9)];
  let best = 0;
  for (let y = 0; y < b.h; y++) {
    for (let x = 0; x < b.w; x++) {
      const value = b.values[y * b.w + x];
      if (value < floor || value <= 0) continue;
      let around = 0;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++)
          if (y + dy >= 0 && x + dx >= 0 && y + dy < a.h && x + dx < a.w) around = Math.max(around, a.values[(y + dy) * a.w + x + dx]);
      best = Math.max(best, value / Math.max(around, floor * 0.25));
    }
  }
  return best;
}

describe('what the agent observes of a frame, fast', () => {
  const size = 144;
  const dish = new PhotodamageDish({ seed: 8, cellCount: 18, camera: { widthPx: size, heightPx: size } });
  const frames = [0, 600, 1200].map((t) => (dish.advanceTo(t), dish.expose({ powerMw: 8, wavelengthNm: 488 }, 100).raw));

  it('estimates the SNR of its plain definition, exactly, for camera and float frames', () => {
    for (const pixels of [...frames, Float32Array.from(frames[1], (v) => v * 1.5 + 0.25), Uint8Array.from(frames[2], (v) => v >> 4)]) {
      expect(estimateSnr(pixels, size, size)).toBe(definitionSnr(pixels, size, size));
    }
    expect(estimateSnr(frames[0], 3, 3)).toBeNaN();
  });

  it('finds the brightening ratio of its plain definition (to rounding), and so the same mitoses', () => {
    for (const [before, now, dose] of [
      [frames[0], frames[1], 0.8],
      [frames[1], frames[2], 0.8],
      [frames[2], frames[2], 1.1],
    ] as const) {
      const a = { pixels: before, widthPx: size, heightPx: size, doseUnits: 0.8 };
      const b = { pixels: now, widthPx: size, heightPx: size, doseUnits: dose };
      const found = detectMitosis(a, b);
      const expected = definitionRatio(a, b);
      expect(found.ratio).toBeCloseTo(expected, 5);
      expect(found.detected).toBe(expected >= 1.5);
    }
  });
});
