import { initTfjsBackend } from '../runtime/tfjs-backend';
import { TfjsRuntime } from '../runtime/tfjs-runtime';
import { receptiveFieldRadiusPx } from './care-config';
import { CareRestorer } from './care-restorer';
import { Float32Pool } from '../runtime/float32-pool';
import { planAxis, predictTiled, reflectPad, type TilingOptions } from './tiling';
import { TINY_CARE_CONFIG, tinyCareNetwork } from './testing/tiny-care';

function texture(widthPx: number, heightPx: number): Float32Array {
  return Float32Array.from({ length: widthPx * heightPx }, (_, i) => {
    const x = i % widthPx;
    const y = Math.floor(i / widthPx);
    return 100 + 50 * Math.sin(x / 3.1) * Math.cos(y / 4.7) + ((i * 7919) % 23);
  });
}

describe('tiled prediction', () => {
  const options: TilingOptions = { maxTilePx: 64, contextPx: 24, blendPx: 8, multiple: 4 };

  it('plans tiles that start on the size multiple, cover the axis and fit the largest tile', () => {
    for (const length of [64, 68, 200, 512, 2048]) {
      const tiles = planAxis(length, options);
      expect(tiles[0].start).toBe(0);
      expect(tiles.at(-1)!.start + tiles.at(-1)!.size).toBe(length);
      for (const t of tiles) {
        expect(t.start % 4).toBe(0);
        expect(t.size % 4).toBe(0);
        expect(t.size).toBeLessThanOrEqual(Math.max(64, length <= 64 ? length : 64));
      }
    }
  });

  it('reproduces the frame through an identity predictor (blend weights sum to one, no seams)', async () => {
    const frame = texture(150, 97);
    // two channels, interleaved: the tile and its negative
    const negated = async (tile: Float32Array) => ({ data: Float32Array.from({ length: tile.length * 2 }, (_, i) => (i % 2 ? -1 : 1) * tile[i >> 1]), channels: 2 });
    const out = await predictTiled(frame, 97, 150, negated, options);
    expect(out.channels).toBe(2);
    // Equal up to float32 rounding of the weighted sums.
    expect(frame.reduce((m, v, i) => Math.max(m, Math.abs(out.data[2 * i] - v), Math.abs(out.data[2 * i + 1] + v)), 0)).toBeLessThan(1e-4);
    // one tile without padding: the predictor's own output, untouched
    const whole = await predictTiled(frame.subarray(0, 64 * 64), 64, 64, negated, options);
    expect(Array.from(whole.data.subarray(0, 6))).toEqual([frame[0], -frame[0], frame[1], -frame[1], frame[2], -frame[2]]);
  });

  it('reflect-pads without repeating the edge pixel', () => {
    expect(Array.from(reflectPad(Float32Array.from([1, 2, 3]), 1, 3, 1, 6))).toEqual([1, 2, 3, 2, 1, 2]);
  });

  it('gives the same restoration tiled and untiled, for a frame of odd size', async () => {
    await initTfjsBackend();
    const runtime = new TfjsRuntime(tinyCareNetwork());
    const frame = texture(150, 97);
    const whole = await new CareRestorer(runtime, TINY_CARE_CONFIG, { lowPercent: 1, highPercent: 99.8 }, { maxTilePx: 4096 }).restore(frame, 150, 97);
    let tiles = 0;
    const tiled = await new CareRestorer(runtime, TINY_CARE_CONFIG, { lowPercent: 1, highPercent: 99.8 }, { maxTilePx: 64 }).restore(frame, 150, 97, { onTile: (_, total) => (tiles = total) });
    expect(tiles).toBeGreaterThan(4);
    const range = whole.quality.normalization.high - whole.quality.normalization.low;
    let maxDifference = 0;
    for (let i = 0; i < frame.length; i++) maxDifference = Math.max(maxDifference, Math.abs(whole.restored[i] - tiled.restored[i]));
    expect(maxDifference / range).toBeLessThan(1e-4);
    expect(receptiveFieldRadiusPx(TINY_CARE_CONFIG)).toBeLessThanOrEqual(24);
    await runtime.dispose();
  });

  it('copies every tile into one reused buffer, and a restorer reusing its buffers gives each frame its own result', async () => {
    const pool = new Float32Pool();
    const tileBuffers = new Set<Float32Array>();
    const buffers = { take: (n: number) => pool.take(n), give: (b: Float32Array) => pool.give(b) };
    const options: TilingOptions = { maxTilePx: 64, contextPx: 8, blendPx: 8, multiple: 8 };
    const frame = texture(150, 97);
    let tiles = 0;
    const identity = async (tile: Float32Array) => {
      tileBuffers.add(tile);
      return { data: tile.slice(), channels: 1 };
    };
    const out = await predictTiled(frame, 97, 150, identity, options, (_, total) => (tiles = total), buffers);
    expect(tiles).toBeGreaterThan(4);
    expect(tileBuffers.size).toBe(1);
    expect(frame.reduce((m, v, i) => Math.max(m, Math.abs(out.data[i] - v)), 0)).toBeLessThan(1e-4);

    await initTfjsBackend();
    const runtime = new TfjsRuntime(tinyCareNetwork());
    const restorer = new CareRestorer(runtime, TINY_CARE_CONFIG, { lowPercent: 1, highPercent: 99.8 }, { maxTilePx: 64 });
    const other = texture(150, 97).map((v, i) => v * 3 + (i % 7));
    const first = await restorer.restore(frame, 150, 97);
    await restorer.restore(other, 150, 97);
    const again = await restorer.restore(frame, 150, 97);
    expect(again.restored).toEqual(first.restored);
    expect(again.uncertainty).toEqual(first.uncertainty);
    await runtime.dispose();
  });

  it('restores into the planes of an earlier restoration when asked, and refuses planes of the wrong size', async () => {
    await initTfjsBackend();
    const runtime = new TfjsRuntime(tinyCareNetwork());
    const restorer = new CareRestorer(runtime, TINY_CARE_CONFIG, { lowPercent: 1, highPercent: 99.8 }, { maxTilePx: 64 });
    const frame = texture(150, 97);
    const other = frame.map((v, i) => v * 3 + (i % 7));
    const fresh = await restorer.restore(frame, 150, 97);
    const earlier = await restorer.restore(other, 150, 97);
    const [restoredPlane, uncertaintyPlane] = [earlier.restored, earlier.uncertainty];
    const reused = await restorer.restore(frame, 150, 97, { into: earlier });
    expect(reused.restored).toBe(restoredPlane);
    expect(reused.uncertainty).toBe(uncertaintyPlane);
    expect(reused.restored).toEqual(fresh.restored);
    expect(reused.uncertainty).toEqual(fresh.uncertainty);
    expect(reused.quality).toEqual(fresh.quality);
    await expect(restorer.restore(texture(97, 150), 97, 150, { into: fresh })).resolves.toBeDefined();
    await expect(restorer.restore(texture(64, 64), 64, 64, { into: fresh })).rejects.toThrow(/64×64 frame into planes of 14550 and 14550 pixels/);
    const shared = new Float32Array(150 * 97 + 10);
    await expect(
      restorer.restore(frame, 150, 97, { into: { restored: shared.subarray(0, 150 * 97), uncertainty: shared.subarray(10) } }),
    ).rejects.toThrow(/two separate planes/);
    await runtime.dispose();
  });
});
