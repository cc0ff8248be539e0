/** 2-D Gaussian as MATLAB's fspecial('gaussian', size, sigma): normalised to sum 1, negligible tails zeroed. */
export function matlabGaussian(size: number, sigma: number): Float32Array {
  const r = (size - 1) / 2;
  const h = new Float64Array(size * size);
  let max = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = Math.exp(-((x - r) ** 2 + (y - r) ** 2) / (2 * sigma * sigma));
      h[y * size + x] = v;
      max = Math.max(max, v);
    }
  }
  let sum = 0;
  for (let i = 0; i < h.length; i++) {
    if (h[i] < 2.220446049250313e-16 * max) h[i] = 0;
    sum += h[i];
  }
  return Float32Array.from(h, (v) => v / sum);
}

/** The paper's label: 100 × (spikes ⊗ 7×7 Gaussian of σ = 1 SR pixel). */
export const HEATMAP_SCALE = 100;
export const HEATMAP_KERNEL_SIZE = 7;
export const HEATMAP_SIGMA_PX = 1;
/** The loss blurs predictions with twice that kernel, so one emitter's predicted mass converges to 100 / 2. */
export const PREDICTED_MASS_PER_EMITTER = HEATMAP_SCALE / 2;

/**
 * Heatmap label of a patch: each emitter at (xSrPx, ySrPx) in super-resolved pixels puts a unit spike on the
 * pixel containing it; the spikes are blurred by the heatmap kernel and scaled.
 */
export function heatmapOf(emitters: ReadonlyArray<{ xSrPx: number; ySrPx: number }>, width: number, height: number): Float32Array {
  const kernel = matlabGaussian(HEATMAP_KERNEL_SIZE, HEATMAP_SIGMA_PX);
  const r = (HEATMAP_KERNEL_SIZE - 1) / 2;
  const out = new Float32Array(width * height);
  for (const e of emitters) {
    const cx = Math.floor(e.xSrPx);
    const cy = Math.floor(e.ySrPx);
    // Emitters just outside the patch still put their tails inside, as when the label is cut from a whole frame.
    if (cx < -r || cy < -r || cx >= width + r || cy >= height + r) continue;
    for (let dy = -r; dy <= r; dy++) {
      const y = cy + dy;
      if (y < 0 || y >= height) continue;
      for (let dx = -r; dx <= r; dx++) {
        const x = cx + dx;
        if (x < 0 || x >= width) continue;
        out[y * width + x] += HEATMAP_SCALE * kernel[(dy + r) * HEATMAP_KERNEL_SIZE + dx + r];
      }
    }
  }
  return out;
}
