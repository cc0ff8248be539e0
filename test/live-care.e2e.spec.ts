import { readFile } from 'node:fs/promises';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { LiveModelsService } from '../src/models/live/live-models.service';
import { connected, socketFor, waitFor } from './support/gateway-clients';
import { simulatedAppPerSuite } from './support/start-app';

describe('live CARE on an acquisition (models.care.live)', () => {
  const running = simulatedAppPerSuite('scope-live-care-', {
    simulation: { cameraWidthPx: 64, cameraHeightPx: 48 },
    models: { care: { live: true } },
  });

  it('saves restored planes and their uncertainty beside the raw data set, linked to it, with an index of quality figures', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const started = await acquisitions.start({ time_plan: { interval: 0.3, loops: 8 }, channels: [{ config: 'DAPI', exposure: 10 }] });
    const raw = acquisitions.dataset(started.acquisitionId);
    expect((await acquisitions.finished(started.acquisitionId)).state).toBe('finished');
    const restored = await running.app.get(LiveModelsService).care.settled(started.acquisitionId);
    expect(restored?.error).toBeUndefined();
    expect(restored!.framesRestored).toBeGreaterThanOrEqual(1);
    expect(restored!.path).toBe(raw.path.replace(/\.ome\.tif$/, '.care.ome.tif'));

    const contents = await readOmeTiff(restored!.path);
    expect(contents.metadata.derivedFrom).toEqual({ path: raw.path, uuid: raw.datasetUuid });
    expect(contents.sampleType).toBe('float32');
    expect(contents.planes.filter((plane) => !plane.blank)).toHaveLength(restored!.framesRestored);
    const uncertainty = await readOmeTiff(restored!.path.replace(/\.ome\.tif$/, '-uncertainty.ome.tif'));
    expect(uncertainty.metadata.derivedFrom).toEqual({ path: raw.path, uuid: raw.datasetUuid });
    const maps = uncertainty.planes.filter((plane) => !plane.blank);
    expect(maps).toHaveLength(restored!.framesRestored);
    for (const plane of maps) expect(Array.from(plane.pixels).every((value) => Number.isFinite(value) && value > 0)).toBe(true);
    const index = JSON.parse(await readFile(restored!.path.replace(/\.ome\.tif$/, '.json'), 'utf8')) as {
      raw: { path: string };
      planes: Array<{ rawSequence: number; quality: Record<string, unknown> }>;
    };
    expect(index.raw.path).toBe(raw.path);
    expect(index.planes).toHaveLength(restored!.framesRestored);
    expect(index.planes[0].quality).toEqual(expect.objectContaining({ modelId: expect.any(String), runtime: expect.any(String) }));
    const rawContents = await readOmeTiff(raw.path);
    expect(rawContents.planes.filter((plane) => !plane.blank)).toHaveLength(8);
  }, 90_000);

  it('streams restored frames to dashboard clients beside raw, with the predicted PSNR and the uncertainty overlay', async () => {
    const socket = socketFor(running.url);
    const frames: Array<{
      stream: string;
      kind: string;
      sequence: number;
      quality?: { name: string; value: number };
      overlay: Buffer | null;
    }> = [];
    socket.on('frame', (message, ack: () => void) => {
      frames.push(message);
      ack();
    });
    try {
      await connected(socket);
      const acquisitions = running.app.get(AcquisitionService);
      const started = await acquisitions.start({ time_plan: { interval: 0.3, loops: 6 }, channels: [{ config: 'DAPI', exposure: 10 }] });
      await acquisitions.finished(started.acquisitionId);
      await running.app.get(LiveModelsService).care.settled(started.acquisitionId);
      const denoised = await waitFor(() => frames.find((f) => f.stream === 'denoised'), 10_000, 'a denoised frame');
      expect(denoised).toMatchObject({ kind: 'denoised', quality: { name: expect.stringMatching(/^predicted PSNR \(calibrated\)/) } });
      expect(Number.isFinite(denoised.quality!.value)).toBe(true);
      expect(denoised.overlay).not.toBeNull();
      expect(frames.some((f) => f.stream === 'raw' && f.sequence === denoised.sequence)).toBe(true);
    } finally {
      socket.close();
    }
  }, 60_000);
});
