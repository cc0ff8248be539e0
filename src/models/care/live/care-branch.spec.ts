import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readOmeTiff } from '../../../acquisition/storage';
import { RestoredRecorder, RestoredRecordingError, recordRestored } from './restored-recorder';
import { Subject, lastValueFrom, toArray } from 'rxjs';
import type { Frame } from '../../../acquisition/frame';
import { ModelInputShapeError, ModelNotFoundError } from '../../store/model-errors';
import { tinyCareNetwork, writeTinyCareFolder } from '../testing/tiny-care';
import { initTfjsBackend } from '../../runtime/tfjs-backend';
import { careBranch, type CareBranchStats } from './care-branch';
import { WorkerCareRestorer } from './worker-restorer';

function frame(sequence: number, widthPx = 64, heightPx = 48): Frame {
  const pixels = new Uint16Array(widthPx * heightPx).map((_, i) => 100 + ((i * 7 + sequence * 13) % 50));
  return {
    pixels,
    meta: {
      acquisitionId: 'acq-1', sequence, index: { t: sequence }, width: widthPx, height: heightPx, bitDepth: 16, pixelSizeUm: 0.2,
      exposureMs: 10, stage: {}, camera: 'Camera', wallTimeMs: 1_700_000_000_000 + sequence,
    },
  };
}

describe('the live CARE branch', () => {
  let modelDir: string;
  let restorer: WorkerCareRestorer;

  beforeAll(async () => {
    await initTfjsBackend();
    modelDir = (await writeTinyCareFolder(tinyCareNetwork())).dir;
    restorer = await WorkerCareRestorer.start(modelDir, { runtime: 'tfjs' });
  }, 60_000);
  afterAll(async () => {
    await restorer?.close();
    rmSync(dirname(modelDir), { recursive: true, force: true });
  });

  it('skips and counts the frames a slower model cannot take, never holding up the raw stream', async () => {
    const camera = new Subject<Frame>();
    const raw: number[] = [];
    camera.subscribe((f) => raw.push(f.meta.sequence));
    let stats: CareBranchStats | undefined;
    const restored = lastValueFrom(camera.pipe(careBranch(restorer, { kind: 'latest-only' }, { onStats: (s) => (stats = s) }), toArray()));
    const burst = 40;
    for (let i = 0; i < burst; i++) {
      camera.next(frame(i));
      // Every raw frame is delivered at once, whatever the model is doing.
      expect(raw).toHaveLength(i + 1);
    }
    camera.complete();
    const outputs = await restored;
    expect(stats!.offered).toBe(burst);
    expect(stats!.skipped).toBeGreaterThan(0);
    expect(stats!.processed + stats!.skipped).toBe(burst);
    expect(outputs).toHaveLength(stats!.processed);
    // latest-only: the first frame and the newest one are restored.
    expect(outputs[0].source.sequence).toBe(0);
    expect(outputs.at(-1)!.source.sequence).toBe(burst - 1);
    for (const out of outputs) {
      expect(out.kind).toBe('care-restored');
      expect(out.source.acquisitionId).toBe('acq-1');
      expect([out.width, out.height, out.pixels.length, out.uncertainty.length]).toEqual([64, 48, 64 * 48, 64 * 48]);
      expect(out.quality).toEqual(expect.objectContaining({ modelId: 'tiny-care', uncertaintyMethod: 'laplace', predictedPsnrDb: expect.any(Number) }));
    }
  }, 60_000);

  it('counts a frame the model rejects as failed and goes on', async () => {
    const camera = new Subject<Frame>();
    let stats: CareBranchStats | undefined;
    const restored = lastValueFrom(camera.pipe(careBranch(restorer, { kind: 'drop-oldest', capacity: 8 }, { onStats: (s) => (stats = s) }), toArray()));
    const broken = frame(0);
    camera.next({ ...broken, meta: { ...broken.meta, width: 10 } });
    camera.next(frame(1));
    camera.complete();
    const outputs = await restored;
    expect(stats).toEqual(expect.objectContaining({ offered: 2, failed: 1, processed: 1, skipped: 0 }));
    expect(outputs.map((o) => o.source.sequence)).toEqual([1]);
    await expect(restorer.restore(new Float32Array(10), 5, 5)).rejects.toThrow(ModelInputShapeError);
  }, 60_000);

  it('saves restored frames as their own data set with the raw layout, each plane linked to its raw frame', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'care-recording-'));
    const raw = { acquisitionId: 'acq-1', path: join(dir, 'acq-1.ome.tif'), uuid: 'urn:uuid:00000000-0000-4000-8000-000000000001' };
    const layout = { sizes: { t: 6, c: 1, z: 1 }, dtype: 'uint16' as const, widthPx: 64, heightPx: 48, pixelSizeUm: 0.2 };
    const recorder = await RestoredRecorder.open({ path: join(dir, 'acq-1.care.ome.tif'), raw, layout });
    const camera = new Subject<Frame>();
    const saved = lastValueFrom(camera.pipe(careBranch(restorer, { kind: 'latest-only' }), recordRestored(recorder), toArray()));
    for (let i = 0; i < 6; i++) camera.next(frame(i));
    camera.complete();
    const outputs = await saved;
    expect(outputs.length).toBeLessThan(6);
    const restored = await readOmeTiff(recorder.files.restored);
    expect(restored.sampleType).toBe('float32');
    expect(restored.metadata.derivedFrom).toEqual({ path: raw.path, uuid: raw.uuid });
    // Every raw plane has its place; the ones the branch skipped stay blank.
    const restoredAt = new Set(outputs.map((o) => o.source.sequence));
    for (let t = 0; t < 6; t++) expect(restored.plane(t, 0, 0)?.blank).toBe(!restoredAt.has(t));
    const last = outputs.at(-1)!;
    expect(Array.from(restored.plane(last.source.sequence, 0, 0)!.pixels)).toEqual(Array.from(last.pixels));
    const uncertainty = await readOmeTiff(recorder.files.uncertainty);
    expect(Array.from(uncertainty.plane(last.source.sequence, 0, 0)!.pixels)).toEqual(Array.from(last.uncertainty));
    const index = JSON.parse(readFileSync(recorder.files.index, 'utf8'));
    expect(index.raw).toEqual(raw);
    expect(index.planes.map((p: { rawSequence: number }) => p.rawSequence)).toEqual(outputs.map((o) => o.source.sequence));
    await expect(RestoredRecorder.open({ path: raw.path, raw, layout })).rejects.toThrow(RestoredRecordingError);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('reports a model that is not there', async () => {
    await expect(WorkerCareRestorer.start('no-such-model', { directories: [dirname(modelDir)] })).rejects.toThrow(ModelNotFoundError);
  }, 60_000);
});
