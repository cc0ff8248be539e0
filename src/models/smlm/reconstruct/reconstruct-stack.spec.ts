import { BlinkingMovie } from '../../../../simulators/sample/blinking';
import { SmlmInputError } from '../localisation';
import { ClassicalProcessor } from './frame-processor';
import { reconstructStack } from './reconstruct-stack';

describe('reconstructing a stack', () => {
  const grid = { widthPx: 20, heightPx: 16, pixelSizeNm: 100 };

  async function* fromArray(frames: ReadonlyArray<ArrayLike<number>>): AsyncGenerator<ArrayLike<number>> {
    for (const f of frames) yield f;
  }

  it('streams frames in batches into one image ×8 the camera grid, with the SR pixel size', async () => {
    const movie = new BlinkingMovie({ seed: 41, widthPx: 20, heightPx: 16, densityPerUm2: 1 });
    const frames = movie.take(7).map((f) => f.pixels);
    const progress: number[] = [];
    const { snapshot } = await reconstructStack(fromArray(frames), grid, new ClassicalProcessor(8), { batchSize: 3, onProgress: (n) => progress.push(n) });
    expect(progress).toEqual([3, 6, 7]);
    expect(snapshot.widthPx).toBe(160);
    expect(snapshot.heightPx).toBe(128);
    expect(snapshot.superResolved.length).toBe(160 * 128);
    expect(snapshot.pixelSizeNm).toBeCloseTo(12.5);
    expect(snapshot.frames).toBe(7);
    expect(snapshot.widefield.length).toBe(20 * 16);
    // A histogram rendering sums to the number of localisations.
    expect(snapshot.superResolved.reduce((a, b) => a + b, 0)).toBeCloseTo(snapshot.localisations, 3);
  });

  it('rejects an empty stack', async () => {
    await expect(reconstructStack(fromArray([]), grid, new ClassicalProcessor(8))).rejects.toThrow(new SmlmInputError('the stack holds no frames: nothing to reconstruct'));
  });

  it('rejects a frame of the wrong size, naming it', async () => {
    const frames = [new Uint16Array(20 * 16), new Uint16Array(20 * 15)];
    await expect(reconstructStack(fromArray(frames), grid, new ClassicalProcessor(8))).rejects.toThrow(/frame 1 holds 300 pixels; the stack's frames are 20×16 = 320/);
  });

  it('rejects frames too small or without a pixel size', async () => {
    await expect(reconstructStack([new Uint16Array(6)], { widthPx: 3, heightPx: 2, pixelSizeNm: 100 }, new ClassicalProcessor(8))).rejects.toThrow(SmlmInputError);
    await expect(reconstructStack([new Uint16Array(320)], { ...grid, pixelSizeNm: 0 }, new ClassicalProcessor(8))).rejects.toThrow(/pixel size/);
  });
});
