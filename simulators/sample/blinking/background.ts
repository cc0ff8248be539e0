import type { Random } from '../random';

/**
 * A smooth background (out-of-focus fluorescence, autofluorescence): the mean plus a sum of broad Gaussian
 * blobs of random sign, scaled so that the relative standard deviation over the field is `variation`.
 */
export function smoothBackground(
  random: Random,
  widthPx: number,
  heightPx: number,
  meanPhotons: number,
  variation: number,
  blobSigmaPx: number,
): Float32Array {
  const out = new Float32Array(widthPx * heightPx);
  if (variation <= 0) return out.fill(meanPhotons);
  const blobs = Math.max(4, Math.round((widthPx * heightPx) / (4 * blobSigmaPx * blobSigmaPx)));
  const field = new Float64Array(widthPx * heightPx);
  for (let b = 0; b < blobs; b++) {
    const cx = random.range(-blobSigmaPx, widthPx + blobSigmaPx);
    const cy = random.range(-blobSigmaPx, heightPx + blobSigmaPx);
    const s = blobSigmaPx * random.range(0.5, 1.5);
    const sign = random.uniform() < 0.5 ? -1 : 1;
    const wx = Float64Array.from({ length: widthPx }, (_, x) => Math.exp(-((x + 0.5 - cx) ** 2) / (2 * s * s)));
    for (let y = 0; y < heightPx; y++) {
      const wy = sign * Math.exp(-((y + 0.5 - cy) ** 2) / (2 * s * s));
      if (Math.abs(wy) < 1e-4) continue;
      const row = y * widthPx;
      for (let x = 0; x < widthPx; x++) field[row + x] += wy * wx[x];
    }
  }
  let sum = 0;
  for (const v of field) sum += v;
  const mean = sum / field.length;
  let sq = 0;
  for (const v of field) sq += (v - mean) ** 2;
  const scale = (meanPhotons * variation) / (Math.sqrt(sq / field.length) || 1);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, meanPhotons + scale * (field[i] - mean));
  return out;
}
