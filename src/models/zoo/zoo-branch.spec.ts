import { lastValueFrom, Subject, toArray } from 'rxjs';
import type { Frame } from '../../acquisition/frame';
import { removeTempDirs, torchOnlyPackage, UNET2D_NUCLEI_BROAD } from './testing/zoo-packages';
import { WorkerZooPredictor } from './worker-zoo-predictor';
import { zooBranch, type ZooBranchStats } from './zoo-branch';

const WIDTH_PX = 160;
const HEIGHT_PX = 120;

/** A camera frame with two bright nuclei on a dim background. */
function frame(sequence: number, widthPx = WIDTH_PX, heightPx = HEIGHT_PX): Frame {
  const pixels = new Uint16Array(widthPx * heightPx).map((_, i) => {
    const x = i % widthPx;
    const y = Math.floor(i / widthPx);
    const nucleus = (x - 50) ** 2 + (y - 60) ** 2 < 225 || (x - 110 - (sequence % 5)) ** 2 + (y - 40) ** 2 < 144;
    return 100 + (nucleus ? 900 : 0) + ((i * 7919 + sequence) % 23);
  });
  return {
    pixels,
    meta: {
      acquisitionId: 'acq-zoo', sequence, index: { t: sequence }, width: widthPx, height: heightPx, bitDepth: 16, pixelSizeUm: 0.65,
      exposureMs: 20, stage: {}, camera: 'Camera', wallTimeMs: 1_700_000_000_000 + sequence,
    },
  };
}

describe('a Zoo model as a live branch of the frame stream', () => {
  let predictor: WorkerZooPredictor;

  beforeAll(async () => {
    predictor = await WorkerZooPredictor.start(UNET2D_NUCLEI_BROAD, { threads: 1 });
  }, 60_000);
  afterAll(async () => {
    await predictor?.close();
    removeTempDirs();
  });

  it('predicts nuclei probability beside the raw stream, skipping and counting what it cannot take', async () => {
    const camera = new Subject<Frame>();
    const raw: number[] = [];
    camera.subscribe((f) => raw.push(f.meta.sequence));
    let stats: ZooBranchStats | undefined;
    const predicted = lastValueFrom(camera.pipe(zooBranch(predictor, { kind: 'latest-only' }, { onStats: (s) => (stats = s) }), toArray()));
    const burst = 12;
    for (let i = 0; i < burst; i++) {
      camera.next(frame(i));
      // Every raw frame is delivered at once, whatever the model is doing.
      expect(raw).toHaveLength(i + 1);
    }
    camera.complete();
    const outputs = await predicted;
    expect(stats!.offered).toBe(burst);
    expect(stats!.skipped).toBeGreaterThan(0);
    expect(stats!.processed + stats!.skipped).toBe(burst);
    expect(outputs.map((o) => o.source.sequence)).toEqual([0, burst - 1]);
    for (const out of outputs) {
      expect(out.kind).toBe('zoo-prediction');
      expect(out.source.acquisitionId).toBe('acq-zoo');
      expect([out.width, out.height, out.pixels.length, out.channels.length]).toEqual([WIDTH_PX, HEIGHT_PX, WIDTH_PX * HEIGHT_PX, 1]);
      expect(out.channelNames).toEqual(['probability']);
      expect(out.quality).toMatchObject({ modelId: 'UNet 2D Nuclei Broad', runtime: 'onnxruntime-node', tiles: 1, nonFiniteCount: 0, flagged: false });
      expect(out.quality.confidence).toBeGreaterThan(0.5);
      expect(out.quality.confidence).toBeLessThanOrEqual(1);
      // Inside a nucleus more probably nucleus than in the background.
      expect(out.pixels[60 * WIDTH_PX + 50]).toBeGreaterThan(out.pixels[5 * WIDTH_PX + 5]);
    }
  }, 60_000);

  it('counts a frame the model rejects as failed and goes on', async () => {
    const camera = new Subject<Frame>();
    let stats: ZooBranchStats | undefined;
    const predicted = lastValueFrom(camera.pipe(zooBranch(predictor, { kind: 'drop-oldest', capacity: 4 }, { onStats: (s) => (stats = s) }), toArray()));
    const broken = frame(0);
    camera.next({ ...broken, meta: { ...broken.meta, width: 10 } });
    camera.next(frame(1, 64, 64));
    camera.complete();
    const outputs = await predicted;
    expect(stats).toMatchObject({ offered: 2, failed: 1, processed: 1 });
    expect(outputs.map((o) => [o.source.sequence, o.width, o.height])).toEqual([[1, 64, 64]]);
  }, 60_000);

  it('refuses to start on a package it cannot run, naming the weight formats', async () => {
    await expect(WorkerZooPredictor.start(torchOnlyPackage())).rejects.toThrow(/has weights only as pytorch_state_dict, torchscript/);
  }, 60_000);
});
