import { buildPreview } from './build-preview';
import { PreviewBuilder } from './preview-builder';
import type { StreamImage } from './stream-types';

function image(): StreamImage {
  const width = 300;
  const height = 200;
  const pixels = new Uint16Array(width * height).map((_, i) => (i * 37) % 4096);
  const qualityMap = { pixels: new Float32Array(150 * 100).map((_, i) => i / 15000), width: 150, height: 100 };
  return { pixels, width, height, sourceSequence: 7, qualityMap };
}

describe('previews built in a worker thread', () => {
  let builder: PreviewBuilder;
  afterEach(async () => builder.close());

  it('equal the ones built here, and leave the frame itself whole', async () => {
    builder = new PreviewBuilder();
    const frame = image();
    const before = Array.from(frame.pixels.subarray(0, 16));
    const built = await builder.build(frame, 128);
    expect(builder.fallbackReason).toBeUndefined();
    const here = buildPreview({ ...frame, maxSizePx: 128 });
    expect(built.width).toBe(100);
    expect(Array.from(built.data)).toEqual(Array.from(here.data));
    expect(built.histogram).toEqual(here.histogram);
    expect(Array.from(built.overlay!)).toEqual(Array.from(here.overlay!));
    // the pixels went to the worker as a copy: the raw frame is still readable by everyone else
    expect(frame.pixels.byteLength).toBe(300 * 200 * 2);
    expect(Array.from(frame.pixels.subarray(0, 16))).toEqual(before);
  });

  it('falls back to building here, saying why, when the worker dies', async () => {
    builder = new PreviewBuilder();
    await builder.build(image(), 64);
    const host = await (builder as unknown as { host: Promise<{ terminate(): Promise<void> }> }).host;
    await host.terminate();
    const built = await builder.build(image(), 64);
    expect(builder.fallbackReason).toMatch(/preview worker failed: preview worker is closed/);
    expect(Array.from(built.data)).toEqual(Array.from(buildPreview({ ...image(), maxSizePx: 64 }).data));
  });
});
