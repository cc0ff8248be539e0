import { Subject, lastValueFrom, toArray } from 'rxjs';
import { BlinkingMovie } from '../../../../simulators/sample/blinking';
import type { Frame } from '../../../acquisition/frame';
import { ClassicalProcessor, type FrameBatchProcessor } from '../reconstruct/frame-processor';
import { stormLive } from './storm-live';

function framesOf(count: number, side = 24, acquisitionId = 'acq-1'): Frame[] {
  const movie = new BlinkingMovie({ seed: 31, widthPx: side, heightPx: side, densityPerUm2: 0.8 });
  return movie.take(count).map((f, i) => ({
    pixels: f.pixels,
    meta: {
      acquisitionId, sequence: i, index: { t: i }, width: side, height: side, bitDepth: 16, pixelSizeUm: 0.1,
      exposureMs: 10, stage: {}, camera: 'sim', wallTimeMs: Date.now(),
    },
  }));
}

describe('live SMLM reconstruction branch', () => {
  it('accumulates frames into a super-resolved image linked to the newest source frame, with SQUIRREL quality', async () => {
    const frames$ = new Subject<Frame>();
    const out = lastValueFrom(frames$.pipe(stormLive({ processor: new ClassicalProcessor(8), batchFrames: 4, qualityEveryMs: 0 }), toArray()));
    const frames = framesOf(12);
    for (const f of frames) frames$.next(f);
    frames$.complete();
    const images = await out;
    expect(images.length).toBeGreaterThanOrEqual(1);
    const last = images[images.length - 1];
    expect(last.kind).toBe('storm-classical');
    expect(last.width).toBe(24 * 8);
    expect(last.height).toBe(24 * 8);
    expect(last.pixels.length).toBe(192 * 192);
    expect(last.quality.pixelSizeNm).toBeCloseTo(12.5);
    expect(last.source.sequence).toBe(11);
    expect(last.quality.framesUsed + last.quality.framesSkipped).toBe(12);
    expect(last.quality.localisations).toBeGreaterThan(0);
    expect(last.quality.rsp).not.toBeNull();
    expect(last.quality.errorMap?.length).toBe(24 * 24);
    // The image only grows: later images hold at least the earlier ones' frames.
    for (let i = 1; i < images.length; i++) expect(images[i].quality.framesUsed).toBeGreaterThan(images[i - 1].quality.framesUsed);
  });

  it('never holds the camera back: a slow method skips batches and counts the frames it skipped', async () => {
    const classical = new ClassicalProcessor(8);
    let calls = 0;
    const slow: FrameBatchProcessor = {
      method: 'classical',
      upsampling: 8,
      preferredBatch: 2,
      async process(frames, first, grid) {
        calls++;
        await new Promise((r) => setTimeout(r, 50));
        return classical.process(frames, first, grid);
      },
    };
    const frames$ = new Subject<Frame>();
    const out = lastValueFrom(frames$.pipe(stormLive({ processor: slow, queueBatches: 1, qualityEveryMs: 60_000 }), toArray()));
    const frames = framesOf(20);
    const started = Date.now();
    for (const f of frames) frames$.next(f);
    // All 20 frames were accepted without waiting for the 50 ms method (only the first batch started).
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(50 * 20);
    frames$.complete();
    const images = await out;
    const last = images[images.length - 1];
    // One batch running, one queued, the other eight skipped.
    expect(images).toHaveLength(2);
    expect(last.quality.framesUsed).toBe(4);
    expect(last.quality.framesSkipped).toBe(16);
  });

  it('starts a new image for a new acquisition', async () => {
    const frames$ = new Subject<Frame>();
    const out = lastValueFrom(frames$.pipe(stormLive({ processor: new ClassicalProcessor(4), batchFrames: 2, qualityEveryMs: 60_000 }), toArray()));
    for (const f of framesOf(4, 16, 'first')) frames$.next(f);
    for (const f of framesOf(2, 16, 'second')) frames$.next(f);
    frames$.complete();
    const images = await out;
    const last = images[images.length - 1];
    expect(last.source.acquisitionId).toBe('second');
    expect(last.quality.framesUsed).toBe(2);
    expect(last.width).toBe(64);
  });
});
