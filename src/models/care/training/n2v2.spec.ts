import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { receptiveFieldRadiusPx, SELF_SUPERVISED_CARE_CONFIG, type CareConfig } from '../care-config';
import { buildCareNetwork } from '../care-network';
import { maskBlindSpots, type BlindSpotOptions } from './blind-spot';
import { checkNoiseCorrelation, resolveBlindSpot } from './noise-check';
import { SeededRandom } from './seeded-random';
import { trainNoise2Void } from './train-care';

const N2V2_TINY: CareConfig = { kernelSize: 3, depth: 2, firstFilters: 4, convsPerLevel: 2, residual: false, probabilistic: false, blurPool: true, topSkip: false };

function whiteNoise(seed: number, n: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => random.next() - 0.5);
}

/** Noise correlated between horizontal neighbours (a 3-tap smear along each row), or along columns. */
function smeared(seed: number, size: number, axis: 'row' | 'column'): Float32Array {
  const white = whiteNoise(seed, size * size);
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = (d: number) => (axis === 'row' ? (x - d >= 0 ? white[y * size + x - d] : 0) : y - d >= 0 ? white[(y - d) * size + x] : 0);
      out[y * size + x] = at(0) + 0.8 * at(1) + 0.5 * at(2);
    }
  }
  return out;
}

describe('N2V2 and structN2V', () => {
  beforeAll(async () => {
    await initTfjsBackend();
  });

  it('builds N2V2 with max-blur-pooling and without the full-resolution skip connection', () => {
    const model = buildCareNetwork(N2V2_TINY);
    const names = model.layers.map((l) => l.name);
    expect(names.filter((n) => n.startsWith('max_'))).toEqual([]);
    expect(names).toContain('blurpool_0_down');
    expect(names).toContain('concat_1');
    expect(names).not.toContain('concat_0');
    expect(receptiveFieldRadiusPx(N2V2_TINY)).toBeGreaterThan(receptiveFieldRadiusPx({ ...N2V2_TINY, blurPool: false }));
    model.dispose();
    expect(SELF_SUPERVISED_CARE_CONFIG).toMatchObject({ blurPool: true, topSkip: false, residual: false });
  });

  it('blur-pools as a 2×2 max at stride 1, then the [1 2 1]ᵀ[1 2 1]/16 blur at stride 2', () => {
    const size = 8;
    const x = whiteNoise(4, size * size);
    const input = tf.input({ shape: [size, size, 1] });
    const network = buildCareNetwork(N2V2_TINY);
    const layers = ['blurpool_0_max', 'blurpool_0_box', 'blurpool_0_down'].map((n) => network.getLayer(n));
    const pooled = layers.reduce<tf.SymbolicTensor>((t, layer) => layer.apply(t) as tf.SymbolicTensor, input);
    const probe = tf.model({ inputs: input, outputs: pooled });
    const out = tf.tidy(() => (probe.predict(tf.tensor4d(x, [1, size, size, 1])) as tf.Tensor).dataSync());
    const at = (y: number, xx: number) => x[Math.min(size - 1, y) * size + Math.min(size - 1, xx)];
    // Max over the 2×2 window below-right (the 'same' border clamps, as a max over the valid pixels).
    const max = (y: number, xx: number) => Math.max(at(y, xx), at(y, xx + 1), at(y + 1, xx), at(y + 1, xx + 1));
    const w = [1, 2, 1];
    for (const [i, j] of [
      [0, 0],
      [1, 2],
      [2, 1],
    ]) {
      let sum = 0;
      for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) sum += (w[dy] * w[dx] * max(2 * i + dy, 2 * j + dx)) / 16;
      expect(out[i * (size / 2) + j]).toBeCloseTo(sum, 5);
    }
    probe.dispose();
    network.dispose();
  });

  it('replaces a masked pixel by the median of its neighbours, the centre excluded', () => {
    const size = 16;
    const original = whiteNoise(2, size * size);
    const input = new Float32Array(original.length);
    const mask = maskBlindSpots(original, input, size, new SeededRandom(3), { maskedFraction: 0.02, radiusPx: 1, replacement: 'median', structMask: 'none' });
    const masked = [...mask.keys()].filter((i) => mask[i] === 1);
    expect(masked.length).toBeGreaterThan(0);
    for (const i of masked) {
      const y = Math.floor(i / size);
      const x = i % size;
      if (y === 0 || x === 0 || y === size - 1 || x === size - 1) continue;
      const neighbours: number[] = [];
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dy || dx) neighbours.push(original[(y + dy) * size + x + dx]);
      neighbours.sort((a, b) => a - b);
      expect(input[i]).toBeCloseTo((neighbours[3] + neighbours[4]) / 2, 6);
    }
  });

  it('hides the line of row neighbours (structN2V) and never takes the replacement from it', () => {
    const size = 32;
    // Distinct values whose row and column can be read back from the value.
    const original = Float32Array.from({ length: size * size }, (_, i) => i);
    const input = new Float32Array(original.length);
    const options: BlindSpotOptions = { maskedFraction: 0.02, radiusPx: 2, replacement: 'random-neighbour', structMask: { axis: 'row', halfLengthPx: 2 } };
    const mask = maskBlindSpots(original, input, size, new SeededRandom(9), options);
    const masked = [...mask.keys()].filter((i) => mask[i] === 1);
    let hidden = 0;
    for (const i of masked) {
      const y = Math.floor(i / size);
      const x = i % size;
      if (mask[i] === 1 && input[i] === original[i]) throw new Error(`pixel ${i} kept its own value`);
      // Not a line pixel: a masked pixel's stand-in comes from another row, unless a line crossed it afterwards.
      const from = input[i];
      const crossed = [-2, -1, 1, 2].some((d) => mask[y * size + x + d] === 1);
      if (!crossed) expect(Math.floor(from / size)).not.toBe(y);
      for (const d of [-2, -1, 1, 2]) {
        if (x + d < 0 || x + d >= size) continue;
        expect(input[y * size + x + d]).not.toBe(original[y * size + x + d]);
        hidden++;
      }
    }
    expect(hidden).toBeGreaterThan(2 * masked.length);
    // Pixels neither masked nor on a line are left alone.
    const changed = [...input.keys()].filter((i) => input[i] !== original[i]).length;
    expect(changed).toBeLessThanOrEqual(masked.length * 5);
  });

  it('picks the line mask from the noise: none for white noise, along rows or columns where neighbours correlate', () => {
    const size = 96;
    const image = (pixels: Float32Array) => ({ pixels, widthPx: size, heightPx: size });
    expect(checkNoiseCorrelation([image(whiteNoise(1, size * size))]).structMask).toBeNull();
    const rows = checkNoiseCorrelation([image(smeared(2, size, 'row'))]);
    expect(rows.structMask).toEqual({ axis: 'row', halfLengthPx: 2 });
    expect(rows.alongRows[0]).toBeGreaterThan(rows.alongColumns[0] + 0.3);
    const columns = resolveBlindSpot({ maskedFraction: 0.02, radiusPx: 2, structMask: 'auto' }, [image(smeared(3, size, 'column'))]);
    expect(columns.structMask).toEqual({ axis: 'column', halfLengthPx: 2 });
    // A choice the user made is kept.
    expect(resolveBlindSpot({ maskedFraction: 0.02, radiusPx: 2, structMask: 'none' }, [image(smeared(3, size, 'column'))]).structMask).toBe('none');
  });

  it('trains N2V2 on the wasm backend with the structN2V mask the noise check chose, lowering the masked loss', async () => {
    const size = 64;
    const random = new SeededRandom(11);
    const frames = [1, 2, 3].map((s) => {
      const noise = smeared(s, size, 'row');
      const cx = random.next() * size;
      const cy = random.next() * size;
      const pixels = noise.map((v, i) => v + 4 * Math.exp(-(((i % size) - cx) ** 2 + (Math.floor(i / size) - cy) ** 2) / 50));
      return { pixels, widthPx: size, heightPx: size };
    });
    const result = await trainNoise2Void(frames, {
      architecture: N2V2_TINY,
      seed: 5,
      patchPx: 32,
      patchesPerImage: 16,
      validationFraction: 0.2,
      batchSize: 8,
      epochs: 3,
      stepsPerEpoch: 6,
      learningRate: 3e-3,
    });
    expect(result.backend.backend).toBe('wasm');
    expect(result.blindSpot).toMatchObject({ replacement: 'median', structMask: { axis: 'row' } });
    expect(result.history.bestValidationLoss).toBeLessThan(result.history.initialValidationLoss);
    result.model.dispose();
  }, 60_000);
});
