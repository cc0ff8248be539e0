import type { CameraModel } from './contract';
import { standardNormalFromBits } from './normal-table';
import { poissonFromBits } from './poisson';
import type { Random } from './random';

/** Largest value a camera of this bit depth can report (16 bits at most: frames are Uint16Array). */
export function maxAdu(bitDepth: number): number {
  return 2 ** Math.max(1, Math.min(16, Math.round(bitDepth))) - 1;
}

/**
 * The camera's measurement of expected photo-electrons per pixel: Poisson shot noise on the electrons, Gaussian
 * read noise (electrons rms), then ADU = round(offset + gain × electrons), clipped to [0, 2^bitDepth − 1].
 * Binning is already in the expected electrons (each binned pixel collects the light of binning² sensor pixels and
 * is read once, as in charge binning). Mean ADU = offset + gain·e, variance = gain²·(e + readNoise²) + 1/12.
 */
export function applyCameraNoise(
  expectedElectrons: Float32Array,
  camera: CameraModel,
  random: Random,
  out: Uint16Array = new Uint16Array(expectedElectrons.length),
): Uint16Array {
  const max = maxAdu(camera.bitDepth);
  const { gainAduPerElectron: gain, offsetAdu: offset, readNoiseElectrons: readNoise } = camera;
  const readNoiseAdu = gain * readNoise;
  const length = Math.min(expectedElectrons.length, out.length);
  // Two 32-bit draws per pixel, made in bulk: one for the Poisson count, one for the read noise.
  const bits = new Uint32Array(2 * CHUNK_PX);
  // Read back as signed: V8 keeps int32 values unboxed, while uint32 values above 2^31 become doubles.
  const signedBits = new Int32Array(bits.buffer);
  for (let start = 0; start < length; start += CHUNK_PX) {
    const end = Math.min(length, start + CHUNK_PX);
    random.fillUint32(bits);
    for (let i = start, j = 0; i < end; i++, j += 2) {
      const electrons = expectedElectrons[i];
      let adu = offset + 0.5 + readNoiseAdu * standardNormalFromBits(signedBits[j + 1], random);
      if (electrons > 0) adu += gain * poissonFromBits(electrons, signedBits[j], random);
      // Storing into a Uint16Array truncates, so the 0.5 added above makes this a rounding.
      out[i] = adu < 1 ? 0 : adu >= max ? max : adu;
    }
  }
  return out;
}

const CHUNK_PX = 4096;
