/** Separable Gaussian blur in place-free form: returns a new image; edges are clamped. */
export function gaussianBlur(image: Float32Array, width: number, height: number, sigmaPx: number): Float32Array {
  if (sigmaPx < 0.3) return image.slice();
  const radius = Math.ceil(3 * sigmaPx);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigmaPx * sigmaPx));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;

  const rows = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
        acc += image[row + xx] * kernel[k + radius];
      }
      rows[row + x] = acc;
    }
  }
  const out = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let k = -radius; k <= radius; k++) {
      const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
      const weight = kernel[k + radius];
      const src = yy * width;
      const dst = y * width;
      for (let x = 0; x < width; x++) out[dst + x] += rows[src + x] * weight;
    }
  }
  return out;
}
