import type { CameraModel } from './contract';
import type { Random } from './random';

/**
 * The camera's measurement of expected photo-electrons: Poisson shot noise, Gaussian read noise, gain, offset,
 * rounding and clipping to the bit depth.
 */
export function applyCameraNoise(
  expectedElectrons: Float32Array,
  camera: CameraModel,
  random: Random,
  out: Uint16Array = new Uint16Array(expectedElectrons.length),
): Uint16Array {
  const max = 2 ** Math.min(16, camera.bitDepth) - 1;
  const { gainAduPerElectron: gain, offsetAdu: offset, readNoiseElectrons: readNoise } = camera;
  for (let i = 0; i < expectedElectrons.length; i++) {
    const electrons = random.poisson(expectedElectrons[i]) + readNoise * random.normal();
    const adu = Math.round(offset + gain * electrons);
    out[i] = adu < 0 ? 0 : adu > max ? max : adu;
  }
  return out;
}
