import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { CSBDEEP_DEFAULT_CONFIG, SHIPPED_CARE_CONFIG } from '../care-config';
import { buildCareNetwork } from '../care-network';
import { TINY_CARE_CONFIG } from '../testing/tiny-care';
import { maskBlindSpots, PLAIN_N2V_BLIND_SPOT } from './blind-spot';
import { careLoss } from './losses';
import { dihedral } from './patches';
import { SeededRandom } from './seeded-random';
import { trainCareSupervised, trainNoise2Void, type RawImage } from './train-care';

/** Blobs on a dark background, with Gaussian noise of the given standard deviation. */
function blobs(seed: number, sizePx: number, noise: number): { clean: RawImage; noisy: RawImage } {
  const random = new SeededRandom(seed);
  const clean = new Float32Array(sizePx * sizePx);
  for (let b = 0; b < 12; b++) {
    const cx = random.next() * sizePx;
    const cy = random.next() * sizePx;
    const r = 1.5 + 3 * random.next();
    for (let y = 0; y < sizePx; y++) for (let x = 0; x < sizePx; x++) clean[y * sizePx + x] += 100 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
  }
  const noisy = clean.map((v) => {
    const u = Math.max(1e-9, random.next());
    return v + noise * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  });
  return { clean: { pixels: clean, widthPx: sizePx, heightPx: sizePx }, noisy: { pixels: noisy, widthPx: sizePx, heightPx: sizePx } };
}

const tinyRun = { seed: 5, patchPx: 32, patchesPerImage: 24, validationFraction: 0.2, batchSize: 8, epochs: 3, stepsPerEpoch: 8, learningRate: 3e-3 };

describe('CARE training', () => {
  beforeAll(async () => {
    await initTfjsBackend();
  });

  it("builds CSBDeep's default 2-D network with its 922,977 parameters", () => {
    const model = buildCareNetwork(CSBDEEP_DEFAULT_CONFIG);
    expect(model.countParams()).toBe(922_977);
    model.dispose();
    const shipped = buildCareNetwork(SHIPPED_CARE_CONFIG);
    expect(shipped.outputs[0].shape).toEqual([null, null, null, 2]);
    shipped.dispose();
  });

  it('lowers the validation loss on a tiny supervised problem, then fits the uncertainty, with the best weights kept and no tensors left', async () => {
    const before = tf.memory().numTensors;
    const images = [1, 2, 3, 4].map((s) => blobs(s, 64, 20));
    const phases: string[] = [];
    const result = await trainCareSupervised(
      images.map((i) => ({ source: i.noisy, target: i.clean })),
      { ...tinyRun, architecture: TINY_CARE_CONFIG, calibrationEpochs: 2, onProgress: (p) => phases.push(`${p.phase} ${p.stepsDone}/${p.stepsTotal}`) },
    );
    expect(result.loss).toBe('mae');
    expect(result.history.bestValidationLoss).toBeLessThan(result.history.initialValidationLoss * 0.8);
    expect(result.history.bestEpoch).toBeGreaterThan(0);
    expect(result.calibration!.bestValidationLoss).toBeLessThan(result.calibration!.initialValidationLoss);
    const steps = tinyRun.epochs * tinyRun.stepsPerEpoch;
    expect(phases).toHaveLength(steps + 2 * tinyRun.stepsPerEpoch);
    expect(phases[steps - 1]).toBe(`restoration ${steps}/${phases.length}`);
    expect(phases.at(-1)).toBe(`uncertainty ${phases.length}/${phases.length}`);
    expect(result.backend.training.backend).toBe(result.backend.backend);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains self-supervised (Noise2Void) on noisy images alone and lowers its masked validation loss', async () => {
    const images = [1, 2, 3].map((s) => blobs(s, 64, 20).noisy);
    const result = await trainNoise2Void(images, { ...tinyRun, architecture: { ...TINY_CARE_CONFIG, residual: false, probabilistic: false } });
    expect(result.loss).toBe('mse');
    expect(result.history.bestValidationLoss).toBeLessThan(result.history.initialValidationLoss);
    result.model.dispose();
  });

  it('trains the Laplace scale by its likelihood with the restored value held fixed', () => {
    const target = tf.tensor4d([1, 2], [1, 1, 2, 1]);
    const prediction = tf.tensor4d([0.5, 0.2, 3, 0.5], [1, 1, 2, 2]);
    const gradient = tf.grad((p: tf.Tensor) => careLoss('laplace-scale', p as tf.Tensor4D, target))(prediction);
    const [dMean1, dScale1, dMean2, dScale2] = Array.from(gradient.dataSync());
    expect([dMean1, dMean2]).toEqual([0, 0]);
    // d/db (log b + |y − μ|/b) / 2 with b = s + 0.001.
    expect(dScale1).toBeCloseTo((1 / 0.201 - 0.5 / 0.201 ** 2) / 2, 4);
    expect(dScale2).toBeCloseTo((1 / 0.501 - 1 / 0.501 ** 2) / 2, 4);
    const joint = tf.grad((p: tf.Tensor) => careLoss('laplace', p as tf.Tensor4D, target))(prediction);
    // CSBDeep's joint loss: d/dμ |y − μ|/b = −sign(y − μ)/b.
    expect(joint.dataSync()[0]).toBeCloseTo(-1 / 0.201 / 2, 4);
    tf.dispose([target, prediction, gradient, joint]);
  });

  it('masks blind spots with neighbours, never the pixel itself, about 2 % of pixels', () => {
    const original = Float32Array.from({ length: 32 * 32 }, (_, i) => i);
    const input = new Float32Array(original.length);
    const mask = maskBlindSpots(original, input, 32, new SeededRandom(1), PLAIN_N2V_BLIND_SPOT);
    const masked = [...mask.keys()].filter((i) => mask[i] === 1);
    // One pixel per 7×7 cell (1/7² ≈ 2 %): 5 × 5 cells cover 32².
    expect(masked.length).toBe(5 * 5);
    for (const i of masked) {
      expect(input[i]).not.toBe(original[i]);
      const dy = Math.floor(input[i] / 32) - Math.floor(i / 32);
      const dx = (input[i] % 32) - (i % 32);
      expect(Math.max(Math.abs(dx), Math.abs(dy))).toBeLessThanOrEqual(2);
    }
    for (let i = 0; i < original.length; i++) if (mask[i] === 0) expect(input[i]).toBe(original[i]);
  });

  it('augments with the 8 symmetries of the square', () => {
    const patch = Float32Array.from([1, 2, 3, 4]);
    const seen = new Set<string>();
    for (let op = 0; op < 8; op++) {
      const out = new Float32Array(4);
      dihedral(patch, 2, op, out);
      seen.add(out.join(','));
    }
    expect(seen.size).toBe(8);
  });
});
