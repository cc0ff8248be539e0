import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcquisitionService } from '../src/acquisition/service/acquisition.service';
import { readOmeTiff } from '../src/acquisition/storage';
import { HardwareService } from '../src/hardware/hardware.service';
import { LiveCareService } from '../src/models/live/live-care.service';
import { startSimulatedApp, type RunningApp } from './support/start-app';

describe('live CARE on an acquisition (models.care.live)', () => {
  let running: RunningApp;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'scope-live-care-'));
    running = await startSimulatedApp({
      storage: { directory, format: 'ome-tiff' },
      simulation: { cameraWidthPx: 64, cameraHeightPx: 48 },
      models: { care: { live: true } },
    });
    await running.app.get(HardwareService).whenReady(30_000);
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('saves restored planes and their uncertainty beside the raw data set, linked to it, with a quality line per plane', async () => {
    const acquisitions = running.app.get(AcquisitionService);
    const started = await acquisitions.start({ time_plan: { interval: 0.3, loops: 8 }, channels: [{ config: 'DAPI', exposure: 10 }] });
    const raw = acquisitions.dataset(started.acquisitionId);
    expect((await acquisitions.finished(started.acquisitionId)).state).toBe('finished');
    const restored = await running.app.get(LiveCareService).settled(started.acquisitionId);
    expect(restored?.error).toBeUndefined();
    expect(restored!.framesRestored).toBeGreaterThanOrEqual(1);
    expect(restored!.path).toBe(raw.path.replace(/\.ome\.tif$/, '.care.ome.tif'));

    const contents = await readOmeTiff(restored!.path);
    expect(contents.metadata.derivedFrom).toEqual({ path: raw.path, uuid: raw.datasetUuid });
    expect(contents.metadata.images[0].pixels.channels.map((channel) => channel.name)).toEqual(['DAPI restored', 'DAPI uncertainty']);
    expect(contents.sampleType).toBe('float32');
    const written = contents.planes.filter((plane) => !plane.blank);
    expect(written).toHaveLength(restored!.framesRestored * 2);
    for (const plane of written.filter((p) => p.c === 1)) {
      expect(Array.from(plane.pixels).every((value) => Number.isFinite(value) && value > 0)).toBe(true);
    }
    const quality = (await readFile(restored!.path.replace(/\.ome\.tif$/, '.quality.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(quality).toHaveLength(restored!.framesRestored);
    expect(quality[0]).toEqual(expect.objectContaining({ modelId: expect.any(String), runtime: expect.any(String), index: expect.objectContaining({ c: 0 }) }));
    const rawContents = await readOmeTiff(raw.path);
    expect(rawContents.planes.filter((plane) => !plane.blank)).toHaveLength(8);
  }, 90_000);
});
