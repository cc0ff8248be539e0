import { planes } from './planes';
import { applyStep, percentileOfSorted } from './processing';
import { parseProcessingStep } from './processing-steps';

const close = (actual: Float32Array, expected: number[]) => expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 5));

describe('Zoo pre- and post-processing (hand-computed)', () => {
  // Two channels of 2×2: channel 0 = 1, 2, 3, 4; channel 1 = 10, 20, 30, 40.
  const image = planes(2, 2, 2, Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40]));

  it('zero_mean_unit_variance per channel over y, x (population std)', () => {
    const step = parseProcessingStep('zero_mean_unit_variance', { axes: ['y', 'x'] }, 't');
    // mean 2.5, std sqrt(1.25) = 1.118034; channel 1 scaled by 10.
    const z = [-1.5, -0.5, 0.5, 1.5].map((v) => v / (Math.sqrt(1.25) + 1e-6));
    close(applyStep(image, step).data, [...z, ...[-15, -5, 5, 15].map((v) => v / (Math.sqrt(125) + 1e-6))]);
  });

  it('zero_mean_unit_variance over all axes when none are named (0.5 default)', () => {
    const out = applyStep(image, parseProcessingStep('zero_mean_unit_variance', {}, 't'));
    const mean = 110 / 8;
    const std = Math.sqrt([1, 2, 3, 4, 10, 20, 30, 40].reduce((s, v) => s + (v - mean) ** 2, 0) / 8);
    expect(out.data[0]).toBeCloseTo((1 - mean) / (std + 1e-6), 5);
  });

  it('fixed_zero_mean_unit_variance per channel (0.5) and 0.4 mode fixed', () => {
    close(applyStep(image, parseProcessingStep('fixed_zero_mean_unit_variance', { mean: [1, 10], std: [2, 5], axis: 'channel' }, 't')).data, [0, 0.5, 1, 1.5, 0, 2, 4, 6]);
    close(applyStep(image, parseProcessingStep('zero_mean_unit_variance', { mode: 'fixed', mean: 2, std: 4 }, 't')).data, [-0.25, 0, 0.25, 0.5, 2, 4.5, 7, 9.5]);
  });

  it('scale_range with percentiles (numpy linear interpolation), per channel', () => {
    // Channel 0 sorted 1..4: p10 at position 0.3 → 1.3, p90 at 2.7 → 3.7.
    expect(percentileOfSorted(Float32Array.from([1, 2, 3, 4]), 10)).toBeCloseTo(1.3, 6);
    const out = applyStep(image, parseProcessingStep('scale_range', { axes: ['y', 'x'], min_percentile: 10, max_percentile: 90 }, 't'));
    close(out.data.subarray(0, 4), [1, 2, 3, 4].map((v) => (v - 1.3) / (2.4 + 1e-6)));
    close(out.data.subarray(4), [10, 20, 30, 40].map((v) => (v - 13) / (24 + 1e-6)));
  });

  it('scale_range against a reference tensor (post-processing back to the input range)', () => {
    const reference = planes(1, 2, 2, Float32Array.from([0, 10, 20, 30]));
    const out = applyStep(planes(1, 1, 2, Float32Array.from([0, 15])), parseProcessingStep('scale_range', { reference_tensor: 'raw' }, 't'), (id) => (id === 'raw' ? reference : undefined));
    close(out.data, [0, 0.5]);
  });

  it('scale_linear per channel, clip, sigmoid, binarize, ensure_dtype', () => {
    close(applyStep(image, parseProcessingStep('scale_linear', { gain: [2, 0.1], offset: [1, -1], axis: 'channel' }, 't')).data, [3, 5, 7, 9, 0, 1, 2, 3]);
    close(applyStep(image, parseProcessingStep('scale_linear', { gain: 2, offset: 0.5 }, 't')).data, [2.5, 4.5, 6.5, 8.5, 20.5, 40.5, 60.5, 80.5]);
    close(applyStep(image, parseProcessingStep('clip', { min: 2, max: 20 }, 't')).data, [2, 2, 3, 4, 10, 20, 20, 20]);
    close(applyStep(planes(1, 1, 3, Float32Array.from([0, 2, -2])), parseProcessingStep('sigmoid', {}, 't')).data, [0.5, 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(2))]);
    close(applyStep(image, parseProcessingStep('binarize', { threshold: 3 }, 't')).data, [0, 0, 0, 1, 1, 1, 1, 1]);
    close(applyStep(planes(1, 1, 3, Float32Array.from([-3.7, 2.9, 300])), parseProcessingStep('ensure_dtype', { dtype: 'uint8' }, 't')).data, [0, 2, 255]);
  });

  it('0.4 letter axes ("xy") mean the same as 0.5 ids', () => {
    const a = applyStep(image, parseProcessingStep('scale_range', { mode: 'per_sample', axes: 'xy', min_percentile: 0, max_percentile: 100 }, 't'));
    const b = applyStep(image, parseProcessingStep('scale_range', { axes: ['x', 'y'], min_percentile: 0, max_percentile: 100 }, 't'));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    close(a.data.subarray(0, 4), [0, 1 / 3, 2 / 3, 1]);
  });

  it('refuses unknown operations and bad arguments by name', () => {
    expect(() => parseProcessingStep('scale_mean_variance', {}, 'raw')).toThrow(/tensor "raw": processing "scale_mean_variance" is not supported/);
    expect(() => parseProcessingStep('scale_range', { min_percentile: 90, max_percentile: 10 }, 'raw')).toThrow(/min_percentile ≥ max_percentile/);
    expect(() => parseProcessingStep('binarize', {}, 'raw')).toThrow(/binarize.*threshold/);
  });
});
